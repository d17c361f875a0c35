package org.latentmotion.motion;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * A kind of trainable model, as checkpoints name it: a name and how to read a model of that kind
 * from the file its {@link TrainableMotionModel#save} wrote. {@link ModelTypes} finds a type by
 * name, so {@link Trainer#resume} and {@link Checkpoint#read} work for every registered model.
 *
 * <p>Register a type once per JVM with {@link ModelTypes#register(ModelType)} (a notebook cell,
 * a static initialiser), or list a public class with a no-argument constructor that implements
 * this interface in {@code META-INF/services/org.latentmotion.motion.ModelType}, as the toolkit
 * does for {@link StyleVideoGan}.
 */
public interface ModelType {

    /** The name checkpoints record (stable across versions: a renamed type no longer finds old files). */
    String name();

    /** Reads a model written by its {@code save(Path)}. */
    TrainableMotionModel load(Path file);

    /** A type named {@code name} that loads with {@code loader} (e.g. {@code ModelType.of("Linear", LinearModel::load)}). */
    static ModelType of(String name, Function<Path, ? extends TrainableMotionModel> loader) {
        return new NamedModelType(name, loader);
    }
}
