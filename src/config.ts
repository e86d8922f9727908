import { z } from "zod";
import { loadModelsFile, type ModelEntry } from "./models/catalog.js";
import { readRoutingFile, type RoutingConfig } from "./alerts/routing-config.js";
import { DEFAULT_STATUS_PAGE, loadStatusPageFile, type StatusPageSettings } from "./status/page-file.js";

/** A bad or missing setting: printed as one line, then exit 1 (no stack trace). */
export class ConfigError extends Error {}

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;

/** An optional number: `fallback` when unset or blank, else the number if `valid` (given the text too), else `message`. */
const numberVar = (fallback: number, valid: (n: number, text: string) => boolean, message: (text: string) => string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!valid(n, v)) {
        ctx.addIssue({ code: "custom", message: message(v) });
        return z.NEVER;
      }
      return n;
    });

const seconds = (name: string, fallback: number) =>
  numberVar(
    fallback,
    (n, text) => /^\d+$/.test(text.trim()) && n > 0,
    (v) => `${name} must be a whole number of seconds > 0, got "${v}"`,
  );

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

const boolFlag = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const s = v.trim().toLowerCase();
      if (["1", "true", "yes", "on"].includes(s)) return true;
      if (["0", "false", "no", "off"].includes(s)) return false;
      ctx.addIssue({ code: "custom", message: `must be true or false, got "${v}"` });
      return z.NEVER;
    });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;".]+$/;

/** `a@b.c` or `Name <a@b.c>`: the address, or null when it is neither. */
function parseMailbox(v: string): string | null {
  const m = /^\s*(?:[^<>]*<([^<>]+)>|([^<>\s]+))\s*$/.exec(v);
  const address = (m?.[1] ?? m?.[2] ?? "").trim();
  return EMAIL.test(address) ? address : null;
}

/** An unset value, or a URL with a host and one of `protocols` (e.g. "https:"). */
const urlWith =
  (...protocols: string[]) =>
  (v: string | undefined): boolean => {
    if (v === undefined) return true;
    try {
      const u = new URL(v);
      return protocols.includes(u.protocol) && u.hostname !== "";
    } catch {
      return false;
    }
  };
const isHttpUrl = urlWith("https:", "http:");
const isSmtpUrl = urlWith("smtp:", "smtps:");

/** A comma-separated list whose every entry matches `pattern`; the first bad one is named. */
const commaList = (pattern: RegExp, what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const list = (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = list.find((a) => !pattern.test(a));
      if (bad) {
        ctx.addIssue({ code: "custom", message: `must be comma-separated ${what}, got "${bad}"` });
        return z.NEVER;
      }
      return list;
    });
const emailList = commaList(EMAIL, "email addresses like cto@example.com");

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: z.string().regex(/^xox[a-z]-/, "must be a bot token starting with xoxb-"),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_SOCKET_MODE: boolFlag(false),
  SLACK_API_URL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : "https://slack.com/api/"))
    .pipe(z.url({ message: "must be an http(s) URL like https://slack.com/api/" }))
    .transform((v) => (v.endsWith("/") ? v : `${v}/`)),
  SLACK_TEAM_ID: optionalText,
  PORT: numberVar(
    3000,
    (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
    (v) => `must be a port number 0-65535, got "${v}"`,
  ),
  DATABASE_URL: optionalText.refine((v) => v === undefined || /^postgres(ql)?:\/\//i.test(v), {
    message: "must be a postgres:// or postgresql:// URL; unset it to use the embedded database under DATA_DIR",
  }),
  DATA_DIR: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : "./data")),
  ALERT_WEBHOOK_TOKEN: optionalText,
  INCIDENT_RESPONDERS: commaList(SLACK_USER, "Slack user IDs like U123ABC"),
  STAKEHOLDER_CHANNEL_ID: optionalText.refine((v) => v === undefined || SLACK_CHANNEL.test(v), {
    message: "must be a Slack channel ID like C123ABC",
  }),
  ALERTS_CHANNEL_ID: optionalText.refine((v) => v === undefined || SLACK_CHANNEL.test(v), {
    message: "must be a Slack channel ID like C123ABC",
  }),
  INCIDENTS_CHANNEL_ID: optionalText.refine((v) => v === undefined || SLACK_CHANNEL.test(v), {
    message: "must be a Slack channel ID like C123ABC",
  }),
  TIMEZONE: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : "UTC"))
    .refine(isTimeZone, { message: "must be an IANA time zone like UTC or Europe/Berlin" }),
  ACK_TARGET_SECONDS: seconds("ACK_TARGET_SECONDS", 300),
  MITIGATE_TARGET_SECONDS: seconds("MITIGATE_TARGET_SECONDS", 900),
  PRODUCT_UPDATE_SECONDS: seconds("PRODUCT_UPDATE_SECONDS", 1800),
  STATUS_PAGE_SECONDS: seconds("STATUS_PAGE_SECONDS", 3600),
  LEADERSHIP_SUMMARY_SECONDS: seconds("LEADERSHIP_SUMMARY_SECONDS", 86400),
  TIMELINE_REACTION: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim().replace(/^:|:$/g, "") : "pushpin")),
  // Extensions beyond the contract (all optional).
  SLACK_PACING: boolFlag(true),
  // Length of Slack's rate window for pacing (one minute); tests and bench/replicas shrink it.
  SLACK_PACING_WINDOW_MS: numberVar(
    60_000,
    (n, text) => /^\d+$/.test(text.trim()) && n >= 100,
    (v) => `SLACK_PACING_WINDOW_MS must be a whole number of milliseconds >= 100, got "${v}"`,
  ),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .optional()
    .transform((v) => v ?? "info"),
  ALERT_ROUTES_FILE: optionalText,
  GATE_TEMPLATES_DIR: optionalText,
  ARCHIVE_AFTER_DAYS: numberVar(
    7,
    (n, text) => /^\d+$/.test(text.trim()) && n > 0,
    (v) => `ARCHIVE_AFTER_DAYS must be a whole number of days > 0, got "${v}"`,
  ),
  // Optional bearer token for GET /metrics (docs/deploy.md); unset, /metrics answers anyone who reaches it.
  METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, { message: "must be at least 16 characters" }),
  UPDATE_CADENCE_P1_SECONDS: seconds("UPDATE_CADENCE_P1_SECONDS", 1800),
  UPDATE_CADENCE_P2_SECONDS: seconds("UPDATE_CADENCE_P2_SECONDS", 3600),
  ALERT_DIGEST_SECONDS: seconds("ALERT_DIGEST_SECONDS", 5),
  JOB_SCHEMA: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : "pgboss"))
    .refine((v) => /^[a-z_][a-z0-9_]{0,62}$/.test(v), { message: "must be a lowercase SQL identifier like pgboss" }),
  JOB_POLL_SECONDS: numberVar(
    1,
    (n) => n >= 0.5 && n <= 60,
    (v) => `must be a number of seconds from 0.5 to 60, got "${v}"`,
  ),
  // Tuning knobs, not in the contract: the clock safety-net sweep and the declaration's provisioning lease.
  CLOCK_SWEEP_MS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return 30_000;
      if (!/^\d+$/.test(v.trim()) || Number(v) <= 0) {
        ctx.addIssue({ code: "custom", message: `must be a whole number of milliseconds > 0, got "${v}"` });
        return z.NEVER;
      }
      return Number(v);
    }),
  PROVISION_LEASE_SECONDS: seconds("PROVISION_LEASE_SECONDS", 30),
  // Models and the MLflow registry (MLflow's own variable names for the tracking server).
  MODELS_FILE: optionalText,
  MLFLOW_TRACKING_URI: optionalText.pipe(z.url({ message: "must be an http(s) URL like http://mlflow:5000" }).optional()),
  MLFLOW_TRACKING_TOKEN: optionalText,
  MLFLOW_TRACKING_USERNAME: optionalText,
  MLFLOW_TRACKING_PASSWORD: optionalText,
  MLFLOW_WEBHOOK_SECRET: optionalText,
  // Public status page (issue 15): components, the page's public URL, and the Atlassian Statuspage mirror.
  STATUS_PAGE_FILE: optionalText,
  STATUS_PAGE_URL: optionalText.pipe(
    z.url({ message: "must be the page's public http(s) URL like https://status.example.com/status" }).optional(),
  ),
  STATUSPAGE_API_KEY: optionalText,
  STATUSPAGE_PAGE_ID: optionalText.refine((v) => v === undefined || /^[a-z0-9]+$/i.test(v), {
    message: "must be the page id from Statuspage's API page (letters and digits)",
  }),
  STATUSPAGE_API_URL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : "https://api.statuspage.io/v1"))
    .pipe(z.url({ message: "must be an http(s) URL like https://api.statuspage.io/v1" }))
    .transform((v) => v.replace(/\/+$/, "")),
  // Statuspage allows 1 request a second per key; tests shrink it.
  STATUSPAGE_MIN_INTERVAL_MS: numberVar(
    1000,
    (n, text) => /^\d+$/.test(text.trim()),
    (v) => `STATUSPAGE_MIN_INTERVAL_MS must be a whole number of milliseconds, got "${v}"`,
  ),
  ROLLBACK_VERIFY_SECONDS: seconds("ROLLBACK_VERIFY_SECONDS", 120),
  // How long a process's claim on moving an alias holds before another (or the restarted one) looks it up and carries on.
  ROLLBACK_CLAIM_SECONDS: seconds("ROLLBACK_CLAIM_SECONDS", 30),
  RECOVERY_WATCH_SECONDS: seconds("RECOVERY_WATCH_SECONDS", 900),
  // Tuning knob, not in the contract: how often a rollback polls the health URL.
  ROLLBACK_POLL_MS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return 2000;
      if (!/^\d+$/.test(v.trim()) || Number(v) < 50) {
        ctx.addIssue({ code: "custom", message: `must be a whole number of milliseconds >= 50, got "${v}"` });
        return z.NEVER;
      }
      return Number(v);
    }),
  // Web view (issue 17): Sign in with Slack. Off unless SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set.
  PUBLIC_URL: optionalText.pipe(
    z.url({ message: "must be the bot's public http(s) base URL like https://incidents.example.com" }).optional(),
  ),
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_OAUTH_URL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : "https://slack.com/openid/connect/authorize"))
    .pipe(z.url({ message: "must be an http(s) URL like https://slack.com/openid/connect/authorize" })),
  WEB_SESSION_HOURS: numberVar(
    12,
    (n, text) => /^\d+$/.test(text.trim()) && n > 0 && n <= 24 * 30,
    (v) => `WEB_SESSION_HOURS must be a whole number of hours from 1 to 720, got "${v}"`,
  ),
  // Reaching people beyond the channel (issue 16): email. Each integration is off until its variables are set.
  SMTP_URL: optionalText.refine(isSmtpUrl, { message: "must be a URL like smtp://user:pass@host:587 or smtps://user:pass@host:465" }),
  MAIL_FROM: optionalText.refine((v) => v === undefined || parseMailbox(v) !== null, {
    message: 'must be an email address like incidents@example.com or "Incident bot <incidents@example.com>"',
  }),
  LEADERSHIP_EMAILS: emailList,
  PRODUCT_EMAILS: emailList,
  // Paging (issue 16): PagerDuty Events API v2. The routing key is the service integration's 32-character key.
  PAGERDUTY_ROUTING_KEY: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9]{32}$/.test(v), {
    message: "must be the 32-character Integration Key of an Events API v2 integration on a PagerDuty service",
  }),
  PAGERDUTY_API_TOKEN: optionalText,
  PAGERDUTY_SCHEDULE_IDS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const ids = (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = ids.find((id) => !/^P[A-Z0-9]{5,}$/.test(id));
      if (bad) {
        ctx.addIssue({ code: "custom", message: `must be comma-separated PagerDuty schedule IDs like PABC123, got "${bad}"` });
        return z.NEVER;
      }
      return ids;
    }),
  PAGERDUTY_API_URL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : "https://api.pagerduty.com"))
    .pipe(z.url({ message: "must be an http(s) URL like https://api.pagerduty.com" })),
  PAGERDUTY_EVENTS_URL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : "https://events.pagerduty.com/v2/enqueue"))
    .pipe(z.url({ message: "must be an http(s) URL like https://events.pagerduty.com/v2/enqueue" })),
  // Jira Cloud (issue 16): review action items become issues. Off until its variables are set; all four together.
  JIRA_URL: optionalText.refine(isHttpUrl, { message: "must be your Jira Cloud site URL like https://your-team.atlassian.net" }),
  JIRA_EMAIL: optionalText.refine((v) => v === undefined || EMAIL.test(v), {
    message: "must be the email address of the Atlassian account that owns JIRA_API_TOKEN",
  }),
  JIRA_API_TOKEN: optionalText,
  JIRA_PROJECT_KEY: optionalText.refine((v) => v === undefined || /^[A-Z][A-Z0-9_]{1,9}$/.test(v), {
    message: "must be a Jira project key like OPS (upper-case letters, digits or _, starting with a letter)",
  }),
  JIRA_ISSUE_TYPE: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : "Task")),
  JIRA_WEBHOOK_SECRET: optionalText,
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    socketMode: boolean;
    apiUrl: string;
    teamId: string | undefined;
    pacing: boolean;
    pacingWindowMs: number;
  };
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  alertWebhookToken: string | undefined;
  responders: string[];
  stakeholderChannelId: string | undefined;
  alertsChannelId: string | undefined;
  /** INCIDENTS_CHANNEL_ID: every new non-private incident is announced there, and the announcement kept current. */
  incidentsChannelId: string | undefined;
  timezone: string;
  targets: { ack: number; mitigate: number; productUpdate: number; statusPage: number; leadershipSummary: number };
  updateCadence: Record<"P1" | "P2", number>;
  timelineReaction: string;
  logLevel: Env["LOG_LEVEL"];
  alertRoutesFile: string | undefined;
  /** ALERT_ROUTES_FILE, read and checked here so a bad file is one line and exit 1 before Slack or the database;
   * the environment (INCIDENT_RESPONDERS, ALERTS_CHANNEL_ID) is the default route. Empty when unset. */
  alertRouting: RoutingConfig;
  gateTemplatesDir: string | undefined;
  archiveAfterDays: number;
  metricsToken: string | undefined;
  alertDigestSeconds: number;
  jobPollSeconds: number;
  jobSchema: string;
  /** How often every open incident's clocks are re-evaluated, as a safety net for lost wake-ups. */
  clockSweepMs: number;
  /** How long one process holds a declaration's provisioning before another may take it over. */
  provisionLeaseSeconds: number;
  /** The model catalog from MODELS_FILE (empty when unset). */
  models: ModelEntry[];
  mlflow: {
    trackingUri: string | undefined;
    token: string | undefined;
    username: string | undefined;
    password: string | undefined;
    webhookSecret: string | undefined;
  };
  rollbackVerifySeconds: number;
  rollbackPollMs: number;
  rollbackClaimSeconds: number;
  /** The public status page (STATUS_PAGE_FILE, else one component "Service"). */
  statusPage: StatusPageSettings & { publicUrl: string | undefined };
  /** The Atlassian Statuspage mirror; undefined when STATUSPAGE_API_KEY / STATUSPAGE_PAGE_ID are unset. */
  statuspage: { apiKey: string; pageId: string; apiUrl: string; minIntervalMs: number } | undefined;
  recoveryWatchSeconds: number;
  /** PUBLIC_URL without a trailing slash (links from Slack messages to the web view); undefined when unset. */
  publicUrl: string | undefined;
  /** Sign in with Slack for /app/… (src/web/); undefined when SLACK_CLIENT_ID is unset. */
  web: { clientId: string; clientSecret: string; oauthUrl: string; redirectUri: string; sessionSeconds: number } | undefined;
  /** Paging through PagerDuty Events API v2 (PAGERDUTY_ROUTING_KEY); undefined when not configured. */
  pagerduty: { routingKey: string; eventsUrl: string } | undefined;
  /** Who is on call (PAGERDUTY_API_TOKEN + PAGERDUTY_SCHEDULE_IDS, PagerDuty REST API); undefined when not configured. */
  oncall: { apiToken: string; scheduleIds: string[]; apiUrl: string } | undefined;
  /** Email (SMTP_URL + MAIL_FROM); undefined when not configured. */
  mail: MailConfig | undefined;
  /** Jira Cloud (JIRA_URL + JIRA_EMAIL + JIRA_API_TOKEN + JIRA_PROJECT_KEY); undefined when not configured. */
  jira: JiraConfig | undefined;
}

export interface JiraConfig {
  /** The site URL without a trailing slash, e.g. https://your-team.atlassian.net */
  url: string;
  email: string;
  apiToken: string;
  projectKey: string;
  issueType: string;
  /** JIRA_WEBHOOK_SECRET: POST /webhooks/jira answers 503 without it. */
  webhookSecret: string | undefined;
}

export interface MailConfig {
  url: string;
  from: string;
  leadership: string[];
  product: string[];
}

const MISSING_SLACK = (name: string) =>
  `${name} is not set. To run against Slack set SLACK_BOT_TOKEN (xoxb-…) and SLACK_SIGNING_SECRET ` +
  '(or SLACK_APP_TOKEN with SLACK_SOCKET_MODE=true); see README.md "Run it against Slack". ' +
  "To try the bot without Slack, run: npm run demo";

const PLACEHOLDERS: Record<string, string> = {
  SLACK_BOT_TOKEN: "xoxb-your-bot-token",
  SLACK_SIGNING_SECRET: "your-signing-secret",
  SLACK_APP_TOKEN: "xapp-your-app-token",
  ALERT_WEBHOOK_TOKEN: "change-me-to-a-long-random-string",
  METRICS_TOKEN: "change-me-to-another-long-random-string",
};

/** Parses the environment. Throws ConfigError with one line that names the variable and what is expected. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (!env.SLACK_BOT_TOKEN?.trim()) throw new ConfigError(MISSING_SLACK("SLACK_BOT_TOKEN"));
  // The .env.example values copied as they are: say so before Slack is asked (it would answer invalid_auth).
  for (const [name, placeholder] of Object.entries(PLACEHOLDERS)) {
    if (env[name]?.trim() === placeholder)
      throw new ConfigError(
        `Invalid configuration: ${name} is still the .env.example placeholder "${placeholder}"; set the value from your Slack app`,
      );
  }
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    const msg = issue.message.startsWith(name) ? issue.message : `${name} ${issue.message}`;
    throw new ConfigError(`Invalid configuration: ${msg}`);
  }
  const e = parsed.data;
  if (e.SLACK_SOCKET_MODE) {
    if (!e.SLACK_APP_TOKEN) {
      throw new ConfigError("Invalid configuration: SLACK_APP_TOKEN (xapp-…) is required when SLACK_SOCKET_MODE=true");
    }
    if (!e.SLACK_APP_TOKEN.startsWith("xapp-")) {
      throw new ConfigError("Invalid configuration: SLACK_APP_TOKEN must be an app-level token starting with xapp-");
    }
  } else if (!e.SLACK_SIGNING_SECRET) {
    throw new ConfigError(MISSING_SLACK("SLACK_SIGNING_SECRET"));
  }
  let alertRouting: RoutingConfig;
  try {
    alertRouting = readRoutingFile(e.ALERT_ROUTES_FILE);
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ALERT_ROUTES_FILE ${(err as Error).message}`);
  }
  let models: ModelEntry[] = [];
  if (e.MODELS_FILE) {
    try {
      models = loadModelsFile(e.MODELS_FILE);
    } catch (err) {
      throw new ConfigError(`Invalid configuration: MODELS_FILE ${(err as Error).message}`);
    }
  }
  let statusPage = DEFAULT_STATUS_PAGE;
  if (e.STATUS_PAGE_FILE) {
    try {
      statusPage = loadStatusPageFile(e.STATUS_PAGE_FILE);
    } catch (err) {
      throw new ConfigError(`Invalid configuration: STATUS_PAGE_FILE ${(err as Error).message}`);
    }
  }
  if (!!e.STATUSPAGE_API_KEY !== !!e.STATUSPAGE_PAGE_ID) {
    const missing = e.STATUSPAGE_API_KEY ? "STATUSPAGE_PAGE_ID" : "STATUSPAGE_API_KEY";
    throw new ConfigError(
      `Invalid configuration: ${missing} is required with ${missing === "STATUSPAGE_PAGE_ID" ? "STATUSPAGE_API_KEY" : "STATUSPAGE_PAGE_ID"} (the Atlassian Statuspage mirror needs both)`,
    );
  }
  if (e.MLFLOW_TRACKING_USERNAME && !e.MLFLOW_TRACKING_PASSWORD) {
    throw new ConfigError("Invalid configuration: MLFLOW_TRACKING_PASSWORD is required with MLFLOW_TRACKING_USERNAME");
  }
  const publicUrl = e.PUBLIC_URL?.replace(/\/+$/, "");
  if (e.PUBLIC_URL && !/^https?:\/\//i.test(e.PUBLIC_URL)) {
    throw new ConfigError("Invalid configuration: PUBLIC_URL must be an http(s) URL like https://incidents.example.com");
  }
  if (e.SLACK_CLIENT_ID && !e.SLACK_CLIENT_SECRET) {
    throw new ConfigError("Invalid configuration: SLACK_CLIENT_SECRET is required with SLACK_CLIENT_ID (Sign in with Slack)");
  }
  if (e.SLACK_CLIENT_SECRET && !e.SLACK_CLIENT_ID) {
    throw new ConfigError("Invalid configuration: SLACK_CLIENT_ID is required with SLACK_CLIENT_SECRET (Sign in with Slack)");
  }
  if (e.SLACK_CLIENT_ID && !publicUrl) {
    throw new ConfigError(
      "Invalid configuration: PUBLIC_URL is required with SLACK_CLIENT_ID (the Sign in with Slack redirect URL is PUBLIC_URL/app/callback)",
    );
  }
  const mail = mailConfig(e);
  if (e.PAGERDUTY_API_TOKEN && e.PAGERDUTY_SCHEDULE_IDS.length === 0) {
    throw new ConfigError(
      "Invalid configuration: PAGERDUTY_SCHEDULE_IDS is required with PAGERDUTY_API_TOKEN (the schedules whose on-call to invite)",
    );
  }
  if (!e.PAGERDUTY_API_TOKEN && e.PAGERDUTY_SCHEDULE_IDS.length) {
    throw new ConfigError("Invalid configuration: PAGERDUTY_API_TOKEN is required with PAGERDUTY_SCHEDULE_IDS (a read-only REST API key)");
  }
  return {
    mail,
    jira: jiraConfig(e),
    oncall: e.PAGERDUTY_API_TOKEN
      ? { apiToken: e.PAGERDUTY_API_TOKEN, scheduleIds: e.PAGERDUTY_SCHEDULE_IDS, apiUrl: e.PAGERDUTY_API_URL.replace(/\/+$/, "") }
      : undefined,
    pagerduty: e.PAGERDUTY_ROUTING_KEY ? { routingKey: e.PAGERDUTY_ROUTING_KEY, eventsUrl: e.PAGERDUTY_EVENTS_URL } : undefined,
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      socketMode: e.SLACK_SOCKET_MODE,
      apiUrl: e.SLACK_API_URL,
      teamId: e.SLACK_TEAM_ID,
      pacing: e.SLACK_PACING,
      pacingWindowMs: e.SLACK_PACING_WINDOW_MS,
    },
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    alertWebhookToken: e.ALERT_WEBHOOK_TOKEN,
    responders: e.INCIDENT_RESPONDERS,
    stakeholderChannelId: e.STAKEHOLDER_CHANNEL_ID,
    alertsChannelId: e.ALERTS_CHANNEL_ID,
    incidentsChannelId: e.INCIDENTS_CHANNEL_ID,
    timezone: e.TIMEZONE,
    targets: {
      ack: e.ACK_TARGET_SECONDS,
      mitigate: e.MITIGATE_TARGET_SECONDS,
      productUpdate: e.PRODUCT_UPDATE_SECONDS,
      statusPage: e.STATUS_PAGE_SECONDS,
      leadershipSummary: e.LEADERSHIP_SUMMARY_SECONDS,
    },
    updateCadence: { P1: e.UPDATE_CADENCE_P1_SECONDS, P2: e.UPDATE_CADENCE_P2_SECONDS },
    timelineReaction: e.TIMELINE_REACTION,
    logLevel: e.LOG_LEVEL,
    alertRoutesFile: e.ALERT_ROUTES_FILE,
    alertRouting,
    gateTemplatesDir: e.GATE_TEMPLATES_DIR,
    archiveAfterDays: e.ARCHIVE_AFTER_DAYS,
    metricsToken: e.METRICS_TOKEN,
    alertDigestSeconds: e.ALERT_DIGEST_SECONDS,
    jobPollSeconds: e.JOB_POLL_SECONDS,
    jobSchema: e.JOB_SCHEMA,
    clockSweepMs: e.CLOCK_SWEEP_MS,
    provisionLeaseSeconds: e.PROVISION_LEASE_SECONDS,
    models,
    mlflow: {
      trackingUri: e.MLFLOW_TRACKING_URI?.replace(/\/+$/, ""),
      token: e.MLFLOW_TRACKING_TOKEN,
      username: e.MLFLOW_TRACKING_USERNAME,
      password: e.MLFLOW_TRACKING_PASSWORD,
      webhookSecret: e.MLFLOW_WEBHOOK_SECRET,
    },
    rollbackVerifySeconds: e.ROLLBACK_VERIFY_SECONDS,
    rollbackPollMs: e.ROLLBACK_POLL_MS,
    rollbackClaimSeconds: e.ROLLBACK_CLAIM_SECONDS,
    recoveryWatchSeconds: e.RECOVERY_WATCH_SECONDS,
    // The public page lives at PUBLIC_URL/status unless it has a hostname of its own (STATUS_PAGE_URL).
    statusPage: { ...statusPage, publicUrl: e.STATUS_PAGE_URL?.replace(/\/+$/, "") ?? (publicUrl ? `${publicUrl}/status` : undefined) },
    statuspage:
      e.STATUSPAGE_API_KEY && e.STATUSPAGE_PAGE_ID
        ? {
            apiKey: e.STATUSPAGE_API_KEY,
            pageId: e.STATUSPAGE_PAGE_ID,
            apiUrl: e.STATUSPAGE_API_URL,
            minIntervalMs: e.STATUSPAGE_MIN_INTERVAL_MS,
          }
        : undefined,
    publicUrl,
    web:
      e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && publicUrl
        ? {
            clientId: e.SLACK_CLIENT_ID,
            clientSecret: e.SLACK_CLIENT_SECRET,
            oauthUrl: e.SLACK_OAUTH_URL,
            redirectUri: `${publicUrl}/app/callback`,
            sessionSeconds: e.WEB_SESSION_HOURS * 3600,
          }
        : undefined,
  };
}

/** Email is on with SMTP_URL and MAIL_FROM and at least one recipient list; any part alone is a half-set integration. */
function mailConfig(e: Env): MailConfig | undefined {
  const lists = [e.LEADERSHIP_EMAILS.length ? "LEADERSHIP_EMAILS" : null, e.PRODUCT_EMAILS.length ? "PRODUCT_EMAILS" : null].filter(
    Boolean,
  );
  if (!e.SMTP_URL && !e.MAIL_FROM && lists.length === 0) return undefined;
  const missing = [e.SMTP_URL ? null : "SMTP_URL", e.MAIL_FROM ? null : "MAIL_FROM"].filter(Boolean);
  if (missing.length) {
    const set = [e.SMTP_URL ? "SMTP_URL" : null, e.MAIL_FROM ? "MAIL_FROM" : null, ...lists].filter(Boolean).join(", ");
    throw new ConfigError(
      `Invalid configuration: email is half set up: ${set} ${set.includes(",") ? "are" : "is"} set but ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not (set both SMTP_URL and MAIL_FROM, or neither)`,
    );
  }
  if (lists.length === 0) {
    throw new ConfigError(
      "Invalid configuration: SMTP_URL and MAIL_FROM are set but no recipients: set LEADERSHIP_EMAILS and/or PRODUCT_EMAILS",
    );
  }
  return { url: e.SMTP_URL!, from: e.MAIL_FROM!, leadership: e.LEADERSHIP_EMAILS, product: e.PRODUCT_EMAILS };
}

const JIRA_VARS = ["JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_PROJECT_KEY"] as const;

/** Jira is on with all four of its variables; some of them (or only JIRA_WEBHOOK_SECRET) is a half-set integration. */
function jiraConfig(e: Env): JiraConfig | undefined {
  const set = JIRA_VARS.filter((k) => e[k]);
  if (set.length === 0) {
    if (e.JIRA_WEBHOOK_SECRET) {
      throw new ConfigError(
        `Invalid configuration: JIRA_WEBHOOK_SECRET is set but ${JIRA_VARS.join(", ")} are not (Jira is off without them; set all or unset the secret)`,
      );
    }
    return undefined;
  }
  const missing = JIRA_VARS.filter((k) => !e[k]);
  if (missing.length) {
    throw new ConfigError(
      `Invalid configuration: Jira is half set up: ${set.join(", ")} ${set.length > 1 ? "are" : "is"} set but ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not (set all four, or none)`,
    );
  }
  return {
    url: e.JIRA_URL!.replace(/\/+$/, ""),
    email: e.JIRA_EMAIL!,
    apiToken: e.JIRA_API_TOKEN!,
    projectKey: e.JIRA_PROJECT_KEY!,
    issueType: e.JIRA_ISSUE_TYPE,
    webhookSecret: e.JIRA_WEBHOOK_SECRET,
  };
}
