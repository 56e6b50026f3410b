import type { IncomingMessage, ServerResponse } from "node:http";
import { context, isSpanContextValid, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVICE_NAME, ATTR_URL_PATH } from "@opentelemetry/semantic-conventions";

/**
 * OpenTelemetry traces with W3C trace context (`traceparent`), one tracer provider per process: the gateway's and
 * each subgraph's spans are told apart by their tracer (`o2o.gateway`, `o2o.products`…) and the `o2o.service`
 * attribute, since the all-in-one process runs all six. Trace context is always propagated; spans are exported
 * (OTLP/HTTP, JSON) only when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, or after
 * `exportTraces(url)`. Until then no tracer provider is registered: every span (ours and @apollo/gateway's) is the API's
 * no-op span, which only carries a caller's `traceparent` on, so a process that exports nothing pays next to nothing.
 */
interface TracingState {
  exporter: BatchSpanProcessor | null;
  /** Registers the tracer provider (once, on the first exporter). */
  register(): void;
}

const STATE = Symbol.for("o2o.tracing");
const holder = globalThis as typeof globalThis & { [STATE]?: TracingState };
// Once per process, even if this module is loaded twice (test runners): the global provider can be set only once.
const state: TracingState = (holder[STATE] ??= setUp());

function setUp(): TracingState {
  const s: TracingState = { exporter: null, register: () => undefined };
  const exporting = new ParentBasedSampler({ root: new AlwaysOnSampler() });
  const quiet = new ParentBasedSampler({ root: new AlwaysOffSampler() });
  // Provider options are fixed at construction; the sampler and processor look at `s` so export can be switched on later.
  const sampler: Sampler = {
    shouldSample: (...args) => (s.exporter ? exporting : quiet).shouldSample(...args),
    toString: () => "o2o(ParentBased, root sampled only when exporting)",
  };
  const processor: SpanProcessor = {
    onStart: (span, parent) => s.exporter?.onStart(span, parent),
    onEnd: (span) => s.exporter?.onEnd(span),
    forceFlush: async () => s.exporter?.forceFlush(),
    shutdown: async () => s.exporter?.shutdown(),
  };
  const serviceName = process.env.OTEL_SERVICE_NAME ?? process.env.O2O_SERVICE ?? "o2o";
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }), sampler, spanProcessors: [processor] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  let registered = false;
  s.register = () => {
    if (!registered) trace.setGlobalTracerProvider(provider);
    registered = true;
  };
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    // The exporter reads the endpoint (adding /v1/traces to the base one) and OTEL_EXPORTER_OTLP_HEADERS itself.
    s.exporter = new BatchSpanProcessor(new OTLPTraceExporter());
    s.register();
  }
  return s;
}

/** Starts exporting spans to an OTLP/HTTP traces URL (e.g. `http://collector:4318/v1/traces`); tests use their own receiver. */
export function exportTraces(url: string): void {
  const previous = state.exporter;
  state.exporter = new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 200 });
  state.register();
  void previous?.shutdown();
}

/** Sends every ended span now (tests; before exit). */
export async function flushTraces(): Promise<void> {
  await state.exporter?.forceFlush();
}

/** Flushes and stops exporting (process exit). */
export async function stopTracing(): Promise<void> {
  const exporter = state.exporter;
  state.exporter = null;
  await exporter?.shutdown();
}

const tracer = (service: string) => trace.getTracer(`o2o.${service}`);

/** The trace id of the active span, for log lines; undefined outside any trace (no exporter and no caller's traceparent). */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  return span && isSpanContextValid(span.spanContext()) ? span.spanContext().traceId : undefined;
}

/**
 * Runs `fn` inside a server span for one incoming HTTP request, continuing the caller's `traceparent` when it sent
 * one; the span ends when the response is finished (or the connection dropped), with its status code.
 */
export function withServerSpan<T>(service: string, req: IncomingMessage, res: ServerResponse, fn: () => T): T {
  const parent: Context = propagation.extract(context.active(), req.headers);
  const path = (req.url ?? "/").split("?")[0]!;
  const span = tracer(service).startSpan(
    `${req.method ?? "GET"} ${path}`,
    { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method ?? "GET", [ATTR_URL_PATH]: path, "o2o.service": service } },
    parent,
  );
  const end = () => {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once("close", end);
  return context.with(trace.setSpan(parent, span), fn);
}

/**
 * Runs one outgoing call in a client span, child of the active span; `fn` gets the headers that carry the span on
 * (`traceparent`, `tracestate`) to put on its request. A rejection marks the span as an error.
 */
export async function withClientSpan<T>(service: string, name: string, attributes: Attributes, fn: (traceHeaders: Record<string, string>) => Promise<T>): Promise<T> {
  const span: Span = tracer(service).startSpan(name, { kind: SpanKind.CLIENT, attributes: { ...attributes, "o2o.service": service } });
  const active = trace.setSpan(context.active(), span);
  const headers: Record<string, string> = {};
  propagation.inject(active, headers);
  try {
    return await context.with(active, () => fn(headers));
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}
