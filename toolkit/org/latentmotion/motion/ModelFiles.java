package org.latentmotion.motion;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import org.latentmotion.wplus.Npz;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the models' own files have in common: an NPZ of named arrays with the config as text under
 * {@value #CONFIG}. {@link #read} opens one for a model's {@code load} and refuses a file of another
 * kind before any weight is read; {@link #snapshot} checks what a model's {@code restore} is given.
 * The messages name the model type, so a user who points {@code MoCoGanHd.load} at a StyleVideoGan
 * file is told so.
 */
public final class ModelFiles {
    /** The entry that holds a model's config as {@code key=value} lines. */
    public static final String CONFIG = "meta.config";

    private ModelFiles() {
    }

    /** A model file's arrays by name and its parsed config. */
    public record Contents<C>(Map<String, INDArray> entries, C config) {
        /** The entry {@code name} ({@link #read} checked the ones it was asked for). */
        public INDArray entry(String name) {
            return entries.get(name);
        }
    }

    /**
     * Reads {@code path} as a file of model type {@code type}: its {@value #CONFIG} entry parsed by
     * {@code parse}, and every entry of {@code alsoRequired} present. Throws an
     * {@link IllegalArgumentException} that says "{@code <path> is not a <type> file}" and why
     * (which entries are missing and a few it has instead, or what the config parser refused).
     */
    public static <C> Contents<C> read(Path path, String type, Function<String, C> parse, String... alsoRequired) {
        Map<String, INDArray> in = Npz.read(path);
        String[] required = new String[alsoRequired.length + 1];
        required[0] = CONFIG;
        System.arraycopy(alsoRequired, 0, required, 1, alsoRequired.length);
        if (Arrays.stream(required).anyMatch(name -> !in.containsKey(name))) {
            throw new IllegalArgumentException(path + " is not a " + type + " file: no " + String.join(" or ", required)
                    + " entry (found " + in.keySet().stream().limit(5).toList() + (in.size() > 5 ? ", …" : "") + ")");
        }
        try {
            return new Contents<>(in, parse.apply(Npz.text(in.get(CONFIG))));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + " is not a " + type + " file: " + e.getMessage(), e);
        }
    }

    /**
     * {@code snapshot} as a {@code type} whose config equals {@code config}, for a model's
     * {@code restore}; throws naming what was expected and what was given.
     */
    public static <M extends TrainableMotionModel> M snapshot(TrainableMotionModel snapshot, Class<M> type,
                                                             MotionModelConfig config) {
        if (!type.isInstance(snapshot)) {
            throw new IllegalArgumentException("restore: expected a " + type.getSimpleName() + " copy, found "
                    + (snapshot == null ? "null" : snapshot.getClass().getName()));
        }
        M good = type.cast(snapshot);
        if (!good.config().equals(config)) {
            throw new IllegalArgumentException("restore: expected a model with this config (" + config + "), found "
                    + good.config());
        }
        return good;
    }
}
