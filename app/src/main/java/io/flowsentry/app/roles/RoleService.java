package io.flowsentry.app.roles;

import io.flowsentry.app.config.FlowsentryConfig;
import java.io.IOException;
import java.util.List;

/** One role of a cluster node: started in order, reloaded on SIGHUP, asked for /healthz, closed in reverse. */
interface RoleService extends AutoCloseable {
  void start() throws IOException;

  /** Takes what of a reloaded configuration it can without a restart (policies). */
  default void reload(FlowsentryConfig next) {}

  /** Lines for /healthz: how it is doing. */
  List<String> status();

  /** What keeps it from doing its work now; empty when healthy. */
  List<String> problems();

  @Override
  void close();
}
