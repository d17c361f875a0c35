package org.latentmotion.display;

import org.latentmotion.render.Encoder;
import org.latentmotion.render.Mapping;
import org.latentmotion.render.Synthesizer;

/**
 * How the ONNX models of {@code render} show in a notebook: their one-line summary, and their
 * interface table as HTML. (W codes show as their one-line text.)
 */
final class SynthesisRenderers {
    private SynthesisRenderers() {
    }

    static void register() {
        Renderers.register(Synthesizer.class, (s, bundle) -> TableOutput.write(bundle, s.toString(), s::interfaceTable));
        Renderers.register(Encoder.class, (e, bundle) -> TableOutput.write(bundle, e.toString(), e::interfaceTable));
        Renderers.register(Mapping.class, (m, bundle) -> TableOutput.write(bundle, m.toString(), m::interfaceTable));
    }
}
