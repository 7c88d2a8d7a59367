/*
 * OpenSearch 2.x part of the launcher (compiled with java/LocalNode.java by install.sh for 2.19): the module plugins
 * we load from the classpath, and Node's protected constructor, which in 2.x takes the plugin classes.
 * Extra plugin classes on the classpath (the security plugin of the security distribution, see install.sh) come from
 * the launcher's --plugin arguments.
 */

import java.util.ArrayList;
import java.util.List;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.env.Environment;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

final class NodeFactory {

    /** Netty4 (HTTP + transport), painless, the common analyzers, reindex (_delete_by_query, _reindex). */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,
        PainlessPlugin.class,
        CommonAnalysisPlugin.class,
        ReindexPlugin.class
    );

    private NodeFactory() {}

    static Node create(Environment environment, List<String> extraPlugins) throws ClassNotFoundException {
        List<Class<? extends Plugin>> plugins = new ArrayList<>(PLUGINS);
        for (String name : extraPlugins) {
            plugins.add(Class.forName(name).asSubclass(Plugin.class));
        }
        return new ClasspathNode(environment, plugins);
    }

    private static final class ClasspathNode extends Node {
        ClasspathNode(Environment environment, List<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }
}
