package org.latentmotion.kernel;

import java.security.Permission;

/**
 * Keeps a cell's {@code System.exit} (and {@code Runtime.halt}) from ending the kernel, and with
 * it every variable of the session: the call throws instead, and the cell shows it as an error
 * that says how to restart. Only the kernel's own main thread may end the JVM (after the front
 * end closed the connection). ipykernel does the same for {@code sys.exit()}.
 *
 * <p>It is a {@link SecurityManager} that checks nothing but exits (JDK 17 allows installing
 * one; later JDKs need {@code -Djava.security.manager=allow}, which the kernelspec passes).
 */
final class ExitGuard extends SecurityManager {
    private final Thread allowed;
    private static volatile boolean kernelExiting;

    private ExitGuard(Thread allowed) {
        this.allowed = allowed;
    }

    /** Installs the guard; only {@code allowed} may exit. Returns false (and says why) where the JVM refuses. */
    @SuppressWarnings("removal")
    static boolean install(Thread allowed) {
        try {
            System.setSecurityManager(new ExitGuard(allowed));
            return true;
        } catch (UnsupportedOperationException | SecurityException e) {
            System.err.println("latentmotion kernel: cannot guard against System.exit in cells on this JVM (" + e.getMessage()
                    + "); start it with -Djava.security.manager=allow");
            return false;
        }
    }

    /** Ends the JVM at once for a restart the kernel itself decided (a cell that cannot be stopped). */
    static void haltForRestart(int status) {
        kernelExiting = true;
        Runtime.getRuntime().halt(status);
    }

    @Override
    public void checkExit(int status) {
        if (Thread.currentThread() != allowed && !kernelExiting) {
            throw new SecurityException("System.exit(" + status + ") was called in a cell; the kernel keeps running and keeps"
                    + " its variables. To start over, restart the kernel (Kernel > Restart).");
        }
    }

    @Override
    public void checkPermission(Permission perm) {
        // everything else is allowed, as without a security manager
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        // everything else is allowed, as without a security manager
    }
}
