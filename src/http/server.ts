import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../logger.js";
import { answerStarting, type Route, sendJson } from "./routes.js";

/** How long a client may take to send its headers, and its whole request (a slow client cannot hold a socket). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

export interface HttpServerOptions {
  /** The routes, known once the app is ready; until `serve()` hands them over, every request gets answerStarting's reply. */
  routes?: Route[];
  log: Logger;
  /** Wraps every handler: the app counts the work for a graceful stop and puts it before background jobs. */
  wrap?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export interface HttpServer {
  listen(port: number): Promise<number>;
  /** Start-up is done: from now on requests go to `routes` (listen() may have come long before, see app.ts). */
  serve(routes: Route[]): void;
  /**
   * Stops taking requests: idle connections and requests still being sent are cut at once (they were never
   * answered, so nothing acknowledged is lost); requests already received get up to `graceMs` to be answered.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The app's one HTTP server: our routes by exact path, JSON 404 for unknown paths and 405 (with Allow) for
 * wrong methods, bounded header and body times. Slack's `/slack/events` is one of the routes.
 */
export function createHttpServer(opts: HttpServerOptions): HttpServer {
  // Unset while the app starts: the port is open (liveness and readiness answer) before migrations run.
  let byPath: Map<string, Route[]> | undefined;
  const serve = (routes: Route[]) => {
    const table = new Map<string, Route[]>();
    for (const r of routes) table.set(r.path, [...(table.get(r.path) ?? []), r]);
    byPath = table;
  };
  if (opts.routes) serve(opts.routes);
  const wrap = opts.wrap ?? (<T>(fn: () => Promise<T>) => fn());
  const sockets = new Set<Socket>();
  /** Sockets whose current request has been fully received and is not answered yet. */
  const answering = new Set<Socket>();
  let stopping = false;

  const server = createServer({
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Node checks the two timeouts on this interval (default 30 s, too coarse for them to mean anything).
    connectionsCheckingInterval: 1_000,
    keepAliveTimeout: 5_000,
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      answering.delete(socket);
    });
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    // Malformed request lines or headers: a plain 400 (Node's default), never an exception.
    if (socket.writable && err.code !== "ECONNRESET")
      socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const received = () => {
      if (!stopping) answering.add(socket);
    };
    if (req.complete) received();
    else req.once("end", received);
    res.once("finish", () => {
      answering.delete(socket);
      if (stopping) socket.destroySoon();
    });
    dispatch(req, res);
  });

  function dispatch(req: IncomingMessage, res: ServerResponse) {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    if (!byPath) return answerStarting(req.method ?? "", path, res);
    // A route path ending in `/*` takes one more path segment (e.g. `/status/incidents/<id>`).
    const routes = byPath.get(path) ?? byPath.get(path.replace(/\/[^/]+$/, "/*"));
    if (!routes) return sendJson(res, 404, { error: `not found: ${req.method} ${url.slice(0, 200)}` });
    const route = routes.find((r) => r.method.includes(req.method ?? ""));
    if (!route) {
      const allow = [...new Set(routes.flatMap((r) => r.method))].join(", ");
      return sendJson(res, 405, { error: `method ${req.method} not allowed on ${routes[0]!.path}: use ${allow}` }, { allow });
    }
    wrap(async () => route.handler(req, res)).catch((err: unknown) => {
      opts.log.error({ err, path: route.path }, "HTTP handler failed");
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.destroy();
    });
  }

  return {
    listen(port) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, () => {
          server.off("error", reject);
          const address = server.address();
          resolve(address && typeof address === "object" ? address.port : port);
        });
      });
    },
    serve,
    async stop(graceMs = 10_000) {
      if (stopping) return;
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A request still being sent (or a connection with none) holds nothing acknowledged: cut it now.
      for (const s of sockets) if (!answering.has(s)) s.destroy();
      const timer = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, graceMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
    },
  };
}
