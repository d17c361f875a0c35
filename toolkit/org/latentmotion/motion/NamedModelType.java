package org.latentmotion.motion;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link ModelType} made of a name and a loader: what {@link ModelType#of} returns, and the base
 * of the service classes a model lists in {@code META-INF/services/org.latentmotion.motion.ModelType}
 * (the {@link java.util.ServiceLoader} needs a public class with a no-argument constructor), as
 * {@link StyleVideoGan} lists its own:
 * <pre>{@code
 * public static final class Type extends NamedModelType {
 *     public Type() {
 *         super("StyleVideoGan", StyleVideoGan::load);
 *     }
 * }
 * }</pre>
 */
public class NamedModelType implements ModelType {
    private final String name;
    private final Function<Path, ? extends TrainableMotionModel> loader;

    /** A type named {@code name} whose checkpoints {@code loader} reads. */
    protected NamedModelType(String name, Function<Path, ? extends TrainableMotionModel> loader) {
        Objects.requireNonNull(name, "type name");
        this.loader = Objects.requireNonNull(loader, "loader");
        if (name.isBlank()) {
            throw new IllegalArgumentException("model type: expected a name, found a blank one");
        }
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public TrainableMotionModel load(Path file) {
        return loader.apply(file);
    }

    @Override
    public String toString() {
        return "ModelType " + name;
    }
}
