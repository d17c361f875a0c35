package org.latentmotion.kernel;

import io.github.spencerpark.jupyter.kernel.DisplayStream;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.Map;
import java.util.UUID;
import org.latentmotion.display.DisplaySink;
import org.latentmotion.display.MimeBundle;

/**
 * Sends the toolkit's displays to the notebook as display_data / update_display_data messages
 * through basekernel's display stream, on the {@link OutputThread} (never the cell's thread).
 * Outside a running cell there is no message to attach them to, so they are dropped (and
 * {@link #isInteractive()} says so).
 */
final class KernelDisplaySink implements DisplaySink {
    private final DisplayStream stream;

    KernelDisplaySink(DisplayStream stream) {
        this.stream = stream;
    }

    static DisplayData toDisplayData(MimeBundle bundle) {
        DisplayData data = new DisplayData();
        for (Map.Entry<String, String> e : bundle.data().entrySet()) {
            data.putData(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Object> e : bundle.metadata().entrySet()) {
            data.putMetaData(e.getKey(), e.getValue());
        }
        return data;
    }

    @Override
    public String display(MimeBundle bundle) {
        String id = "lm-" + UUID.randomUUID();
        DisplayData data = toDisplayData(bundle);
        data.setDisplayId(id);
        OutputThread.send(() -> {
            CellOutput.sendAll(); // text printed before a display appears before it
            stream.display(data);
        });
        return id;
    }

    @Override
    public void update(String id, MimeBundle bundle) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("updateDisplay needs the id that display(...) returned, found '" + id + "'");
        }
        DisplayData data = toDisplayData(bundle);
        OutputThread.send(() -> {
            CellOutput.sendAll();
            stream.updateDisplay(id, data);
        });
    }

    @Override
    public boolean isInteractive() {
        return stream.isAttached();
    }
}
