import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";

/** `gateway` with every executor it loads wrapped by `wrap` (a stage around planning and execution); `stop` runs first on stop. */
export function wrapExecutor(gateway: GatewayInterface, wrap: (executor: GatewayExecutor) => GatewayExecutor, stop?: () => void): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    async load(options) {
      const { executor } = await gateway.load(options);
      return { executor: executor && wrap(executor) };
    },
    async stop() {
      stop?.();
      await gateway.stop();
    },
  };
}
