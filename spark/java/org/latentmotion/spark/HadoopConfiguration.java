package org.latentmotion.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration, shipped to executors with a task (Hadoop's own
 * {@link Configuration} is {@code Writable} but not {@code Serializable}), so executors open
 * files with the same file system settings as the driver.
 */
final class HadoopConfiguration implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient Configuration conf;

    HadoopConfiguration(Configuration conf) {
        this.conf = new Configuration(conf);
    }

    Configuration get() {
        return conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
