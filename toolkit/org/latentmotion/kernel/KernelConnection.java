package org.latentmotion.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellChannel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.lang.reflect.Field;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

/**
 * The kernel's Jupyter connection: basekernel's, with shell and control loops that look for a new
 * request every {@value #LOOP_SLEEP_MS} ms instead of every 50 ms.
 *
 * <p>Why: basekernel's shell loop polls its socket without waiting and then sleeps a fixed 50 ms
 * (also after handling a message), so every request sat for 0–50 ms before the kernel read it
 * (a third of a trivial cell's 84 ms round trip), and an interrupt on the control channel waited as
 * long. The sleep is a private final field set in the constructor with no hook, so it is set here
 * by reflection before the loops start; if a later basekernel renames it, the connection keeps the
 * 50 ms and says so once. A 5 ms sleep costs a few hundred empty polls a second per loop, well under
 * 1 % of a core.
 */
final class KernelConnection extends JupyterConnection {
    static final long LOOP_SLEEP_MS = 5;

    KernelConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        for (ShellChannel channel : new ShellChannel[] {shell, control}) {
            if (!setLoopSleep(channel, LOOP_SLEEP_MS)) {
                System.err.println("latentmotion kernel: could not shorten basekernel's 50 ms request polling;"
                        + " cells answer up to 50 ms later");
                break;
            }
        }
    }

    /** Sets {@code channel}'s loop sleep before it is bound; false if basekernel has no such field. */
    static boolean setLoopSleep(ShellChannel channel, long millis) {
        try {
            Field sleep = ShellChannel.class.getDeclaredField("sleep");
            sleep.setAccessible(true);
            sleep.setLong(channel, millis);
            return sleep.getLong(channel) == millis;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
