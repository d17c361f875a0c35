package org.latentmotion.render;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.EnumSet;
import java.util.function.Consumer;

/**
 * The device a session really runs on and why, decided once when the session is made and said
 * in one line ("latentmotion: rendering on CPU (CUDA provider not in this onnxruntime build;
 * use -Pcuda)").
 */
public record DeviceChoice(Device device, String reason) {

    /** Where the one-line device message goes (System.out by default; tests may capture it). */
    static volatile Consumer<String> announcer = System.out::println;

    /** Adds the execution provider for {@code requested} to {@code options} and says what happened. */
    static DeviceChoice apply(OrtSession.SessionOptions options, Device requested, String activity) {
        DeviceChoice choice = choose(options, requested, OrtEnvironment.getAvailableProviders());
        announcer.accept("latentmotion: " + activity + " on " + choice.device + " (" + choice.reason + ")");
        return choice;
    }

    static DeviceChoice choose(OrtSession.SessionOptions options, Device requested, EnumSet<OrtProvider> providers) {
        if (requested == Device.CPU) {
            return new DeviceChoice(Device.CPU, "CPU requested");
        }
        if (!providers.contains(OrtProvider.CUDA)) {
            return new DeviceChoice(Device.CPU, "CUDA provider not in this onnxruntime build; use -Pcuda");
        }
        try {
            options.addCUDA(0);
            return new DeviceChoice(Device.CUDA, "CUDA provider loaded, GPU 0");
        } catch (OrtException | RuntimeException e) {
            // The GPU jar lists CUDA even on machines without a GPU or without the CUDA libraries.
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            return new DeviceChoice(Device.CPU, "CUDA provider could not start: " + why);
        }
    }

    @Override
    public String toString() {
        return device + " (" + reason + ")";
    }
}
