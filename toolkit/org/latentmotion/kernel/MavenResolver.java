package org.latentmotion.kernel;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * The {@code %maven group:artifact:version} magic: resolves an artifact and its runtime
 * dependencies through Maven's own resolver into the local repository ({@code ~/.m2/repository},
 * or {@code -Dmaven.repo.local}), from Maven Central (or {@code -Dlatentmotion.maven.remote}).
 * Built lazily: the resolver's classes are loaded only when the magic is first used.
 */
final class MavenResolver {
    private final RepositorySystem system;
    private final DefaultRepositorySystemSession session;
    private final List<RemoteRepository> remotes = new ArrayList<>();

    MavenResolver() {
        this.system = new RepositorySystemSupplier().get();
        this.session = MavenRepositorySystemUtils.newSession();
        Path local = Paths.get(System.getProperty("maven.repo.local",
                Paths.get(System.getProperty("user.home"), ".m2", "repository").toString()));
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(session, new LocalRepository(local.toFile())));
        String remote = System.getProperty("latentmotion.maven.remote", "https://repo.maven.apache.org/maven2/");
        if (!remote.isBlank()) {
            remotes.add(new RemoteRepository.Builder("central", "default", remote).build());
        }
    }

    /** The jar files of {@code coordinates} (groupId:artifactId[:extension[:classifier]]:version) and its runtime dependencies. */
    List<File> resolve(String coordinates) throws Exception {
        DefaultArtifact artifact;
        try {
            artifact = new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected Maven coordinates group:artifact:version, found '" + coordinates + "'");
        }
        CollectRequest collect = new CollectRequest(new Dependency(artifact, JavaScopes.RUNTIME), remotes);
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        DependencyResult result = system.resolveDependencies(session, request);
        List<File> files = new ArrayList<>();
        for (ArtifactResult r : result.getArtifactResults()) {
            if (r.getArtifact() != null && r.getArtifact().getFile() != null) {
                files.add(r.getArtifact().getFile());
            }
        }
        return files;
    }
}
