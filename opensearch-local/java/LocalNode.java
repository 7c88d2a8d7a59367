/*
 * An OpenSearch node started in-process from the Maven Central jars (no distribution tarball, no Docker): a single
 * node, or one node of a local cluster. Started by opensearch-local/runner.ts; see opensearch-local/README.md.
 * The version-specific part (which module plugins, how Node's protected constructor takes them) is NodeFactory,
 * one per major version: java/os2/NodeFactory.java (2.19) and java/os3/NodeFactory.java (3.x); install.sh compiles
 * this file with the one that matches the jars.
 *
 * Usage: java -cp <classes>:<jars>/* LocalNode --home <dir> [--http-port 9200] [--transport-port 9300-9400]
 *             [--node-name local] [--cluster-name api-sessions-local]
 *             [--seed-hosts host:port,...] [--initial-cluster-managers name,...]
 *             [--ephemeral] [--no-watchdog] [--plugin <class> ...] [-Ekey=value ...]
 *
 *  --home         node home (absolute). data in <home>/data, logs and the ports files in <home>/logs.
 *  --seed-hosts   transport addresses of the cluster's nodes (discovery.seed_hosts). Without it the node runs with
 *                 discovery.type=single-node.
 *  --initial-cluster-managers  node names that vote in the first cluster-manager election
 *                 (cluster.initial_cluster_manager_nodes; ignored once the cluster has formed).
 *  --ephemeral    delete <home> after the node has stopped.
 *  --no-watchdog  do not exit on EOF of stdin (for running it by hand with stdin closed).
 *  --plugin       one more plugin class to load from the classpath (repeatable), e.g.
 *                 org.opensearch.security.OpenSearchSecurityPlugin with the security distribution's jars (2.x only).
 *                 Its config files go into <home>/config (the runner writes them before the start).
 *
 * Parent-death watchdog: a daemon thread reads stdin until EOF, then exits the JVM (the shutdown hook closes the
 * node). The Node.js parent spawns us with stdin as a pipe it never closes, so the pipe reaches EOF exactly when the
 * parent dies, however it dies (kill -9 included). SIGTERM/SIGINT run the same shutdown hook.
 */

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;

public final class LocalNode {

    private LocalNode() {}

    private static volatile Node node;
    private static final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) throws Exception {
        Path home = null;
        String httpPort = "9200";
        String transportPort = "9300-9400";
        String nodeName = "local";
        String clusterName = "api-sessions-local";
        String seedHosts = null;
        String initialManagers = null;
        boolean ephemeral = false;
        boolean watchdog = true;
        List<String[]> extra = new ArrayList<>();
        List<String> plugins = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--home": home = Paths.get(args[++i]).toAbsolutePath().normalize(); break;
                case "--http-port": httpPort = args[++i]; break;
                case "--transport-port": transportPort = args[++i]; break;
                case "--node-name": nodeName = args[++i]; break;
                case "--cluster-name": clusterName = args[++i]; break;
                case "--seed-hosts": seedHosts = args[++i]; break;
                case "--initial-cluster-managers": initialManagers = args[++i]; break;
                case "--ephemeral": ephemeral = true; break;
                case "--no-watchdog": watchdog = false; break;
                case "--plugin": plugins.add(args[++i]); break;
                default:
                    if (a.startsWith("-E") && a.indexOf('=') > 2) {
                        extra.add(new String[] { a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1) });
                    } else {
                        System.err.println("LocalNode: unknown argument " + a);
                        System.exit(2);
                    }
            }
        }
        if (home == null) {
            System.err.println("LocalNode: --home <dir> is required");
            System.exit(2);
        }

        final Path homeDir = home;
        final boolean deleteHome = ephemeral;

        // Shutdown hook: SIGTERM, SIGINT, System.exit (watchdog). Close the node, then drop the ephemeral home.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Node n = node;
            if (n != null) {
                System.out.println("LocalNode: stopping");
                try {
                    n.close();
                    if (!n.awaitClose(10, TimeUnit.SECONDS)) {
                        System.out.println("LocalNode: node did not close within 10 s");
                    }
                } catch (Throwable t) {
                    System.out.println("LocalNode: error while closing: " + t);
                }
            }
            if (deleteHome) {
                deleteRecursively(homeDir);
            }
            System.out.println("LocalNode: stopped");
            System.out.flush();
            stopped.countDown();
        }, "local-node-shutdown"));

        if (watchdog) {
            Thread t = new Thread(LocalNode::watchStdin, "parent-watchdog");
            t.setDaemon(true);
            t.start();
        }

        Files.createDirectories(home.resolve("modules"));
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(home.resolve("data"));
        Files.deleteIfExists(home.resolve("logs").resolve("http.ports"));
        Files.deleteIfExists(home.resolve("logs").resolve("transport.ports"));

        Settings.Builder sb = Settings.builder()
            .put("cluster.name", clusterName)
            .put("node.name", nodeName)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            .put("node.portsfile", true)
            .put("cluster.routing.allocation.disk.threshold_enabled", false);
        if (seedHosts == null) {
            sb.put("discovery.type", "single-node");
        } else {
            sb.putList("discovery.seed_hosts", List.of(seedHosts.split(",")));
            if (initialManagers != null) {
                sb.putList("cluster.initial_cluster_manager_nodes", List.of(initialManagers.split(",")));
            }
        }
        for (String[] kv : extra) {
            sb.put(kv[0], kv[1]);
        }

        try {
            Node n = NodeFactory.create(
                InternalSettingsPreparer.prepareEnvironment(sb.build(), Collections.emptyMap(), null, () -> "local"),
                plugins
            );
            node = n;
            n.start();
        } catch (Throwable t) {
            System.out.println("LocalNode: failed to start: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
        System.out.println("LocalNode: " + nodeName + " started (home " + home + ", http.port " + httpPort + ")");
        System.out.flush();

        // OpenSearch's own threads are daemon threads: keep the JVM alive until the shutdown hook has run.
        stopped.await();
    }

    private static void watchStdin() {
        byte[] buf = new byte[256];
        InputStream in = System.in;
        try {
            while (in.read(buf) != -1) {
                // ignore whatever the parent writes; we only wait for EOF
            }
        } catch (IOException e) {
            // treat a broken stdin like EOF
        }
        System.out.println("LocalNode: stdin closed (parent process gone), shutting down");
        System.out.flush();
        System.exit(0);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<Path>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.out.println("LocalNode: could not delete " + dir + ": " + e);
        }
    }
}
