/*
 * OpenSearch 3.x part of the launcher (compiled with java/LocalNode.java by install.sh for 3.x, Java 21+): the
 * module plugins were renamed (*ModulePlugin), and Node's protected constructor takes PluginInfo descriptors instead
 * of plugin classes. Extra plugin classes on the classpath come from the launcher's --plugin arguments.
 */

import java.util.ArrayList;
import java.util.List;

import org.opensearch.Version;
import org.opensearch.analysis.common.CommonAnalysisModulePlugin;
import org.opensearch.env.Environment;
import org.opensearch.index.reindex.ReindexModulePlugin;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessModulePlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.transport.Netty4ModulePlugin;

final class NodeFactory {

    /** Netty4 (HTTP + transport), painless, the common analyzers, reindex (_delete_by_query, _reindex). */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4ModulePlugin.class,
        PainlessModulePlugin.class,
        CommonAnalysisModulePlugin.class,
        ReindexModulePlugin.class
    );

    private NodeFactory() {}

    static Node create(Environment environment, List<String> extraPlugins) throws ClassNotFoundException {
        List<Class<? extends Plugin>> plugins = new ArrayList<>(PLUGINS);
        for (String name : extraPlugins) {
            plugins.add(Class.forName(name).asSubclass(Plugin.class));
        }
        return new ClasspathNode(environment, plugins);
    }

    /** A descriptor for a plugin class already on the classpath (what a plugin's descriptor file would say). */
    private static PluginInfo info(Class<? extends Plugin> cls) {
        return new PluginInfo(
            cls.getName(), "classpath plugin", "NA", Version.CURRENT, "21", cls.getName(), List.of(), false
        );
    }

    private static final class ClasspathNode extends Node {
        ClasspathNode(Environment environment, List<Class<? extends Plugin>> plugins) {
            super(environment, plugins.stream().map(NodeFactory::info).toList(), true);
        }
    }
}
