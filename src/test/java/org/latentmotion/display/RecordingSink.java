package org.latentmotion.display;

import java.util.ArrayList;
import java.util.List;

/** A DisplaySink that remembers every display and update, as a notebook front end would see them. */
final class RecordingSink implements DisplaySink {
    record Event(String kind, String id, MimeBundle bundle) {
    }

    final List<Event> events = new ArrayList<>();
    private final boolean interactive;
    private int next;

    RecordingSink(boolean interactive) {
        this.interactive = interactive;
    }

    @Override
    public synchronized String display(MimeBundle bundle) {
        String id = "rec-" + (++next);
        events.add(new Event("display", id, bundle));
        return id;
    }

    @Override
    public synchronized void update(String id, MimeBundle bundle) {
        events.add(new Event("update", id, bundle));
    }

    @Override
    public boolean isInteractive() {
        return interactive;
    }

    long count(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).count();
    }

    Event last() {
        return events.get(events.size() - 1);
    }
}
