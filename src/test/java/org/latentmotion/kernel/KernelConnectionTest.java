package org.latentmotion.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.channels.ShellChannel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/** The kernel's connection reads requests every few milliseconds, not basekernel's 50. */
class KernelConnectionTest {

    static long loopSleep(ShellChannel channel) throws ReflectiveOperationException {
        Field f = ShellChannel.class.getDeclaredField("sleep");
        f.setAccessible(true);
        return f.getLong(channel);
    }

    @Test
    void shellAndControlLoopsSleepFiveMilliseconds() throws Exception {
        KernelConnectionProperties props = KernelConnectionProperties.parse("{\"ip\": \"127.0.0.1\", \"transport\": \"tcp\","
                + " \"shell_port\": 0, \"control_port\": 0, \"stdin_port\": 0, \"iopub_port\": 0, \"hb_port\": 0,"
                + " \"signature_scheme\": \"hmac-sha256\", \"key\": \"k\"}");
        KernelConnection connection = new KernelConnection(props);
        try {
            Field shell = io.github.spencerpark.jupyter.channels.JupyterConnection.class.getDeclaredField("shell");
            Field control = io.github.spencerpark.jupyter.channels.JupyterConnection.class.getDeclaredField("control");
            shell.setAccessible(true);
            control.setAccessible(true);
            assertEquals(KernelConnection.LOOP_SLEEP_MS, loopSleep((ShellChannel) shell.get(connection)));
            assertEquals(KernelConnection.LOOP_SLEEP_MS, loopSleep((ShellChannel) control.get(connection)));
            // basekernel's own default, what the kernel had before: the field this class sets is the one the loop reads
            var plain = new io.github.spencerpark.jupyter.channels.JupyterConnection(props);
            try {
                assertTrue(loopSleep((ShellChannel) shell.get(plain)) == 50, "basekernel's default loop sleep is 50 ms");
            } finally {
                plain.close();
            }
        } finally {
            connection.close();
        }
    }
}
