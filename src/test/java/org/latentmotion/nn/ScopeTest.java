package org.latentmotion.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What a scope frees, keeps and reuses. */
class ScopeTest {
    private static Var square(INDArray x) {
        return Ops.square(Var.input(x));
    }

    @Test
    void aPlainScopeClosesTheArraysItsOpsMade() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 4);
        INDArray made;
        try (Scope scope = Scope.open()) {
            made = square(x).value();
        }
        assertTrue(made.wasClosed());
        assertFalse(x.wasClosed(), "an input the caller passed in is the caller's");
    }

    @Test
    void aReusingScopeHandsTheSameMemoryToTheNextScopeOfThatName() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 32);
        long[] addresses = new long[3];
        for (int k = 0; k < 3; k++) {
            try (Scope scope = Scope.reusing("scope-test")) {
                INDArray y = square(x).value();
                assertTrue(y.isAttached());
                addresses[k] = y.data().address();
                assertEquals(x.getDouble(5, 7) * x.getDouble(5, 7), y.getDouble(5, 7), 1e-6);
            }
        }
        // the first scope learns the size; from the second on, the same block is handed out again
        assertEquals(addresses[1], addresses[2]);
    }

    @Test
    void keptArraysAndArraysMadeOutsideOutliveAReusingScope() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 8);
        INDArray kept;
        INDArray scratch;
        try (Scope scope = Scope.reusing("scope-test-keep")) {
            INDArray y = square(x).value();
            kept = scope.keep(y);
            scratch = Scope.outside(() -> Nd4j.zeros(DataType.FLOAT, 3));
            Scope.release(y); // attached: left to the scope, no error
        }
        assertFalse(kept.isAttached());
        assertFalse(scratch.isAttached());
        try (Scope scope = Scope.reusing("scope-test-keep")) {
            square(Nd4j.ones(DataType.FLOAT, 16, 8)); // overwrites the workspace
        }
        assertEquals(x.getDouble(3, 2) * x.getDouble(3, 2), kept.getDouble(3, 2), 1e-6);
    }

    @Test
    void reusedMemoryCanBeGivenBackAndIsLearnedAgain() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 16);
        for (int k = 0; k < 2; k++) {
            try (Scope scope = Scope.reusing("scope-test-release")) {
                square(x);
            }
        }
        assertTrue(Nd4j.getWorkspaceManager().checkIfWorkspaceExists("latentmotion.scope-test-release"));
        Scope.releaseReusedMemory();
        assertFalse(Nd4j.getWorkspaceManager().checkIfWorkspaceExists("latentmotion.scope-test-release"));
        try (Scope scope = Scope.reusing("scope-test-release")) {
            assertEquals(x.getDouble(1, 1) * x.getDouble(1, 1), square(x).value().getDouble(1, 1), 1e-6);
        }
    }

    @Test
    void releaseFreesAnArrayThatOwnsItsMemory() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4);
        Scope.release(a);
        assertTrue(a.wasClosed());
        Scope.release(null);
    }
}
