// Test helper: a tiny SMTP server (no TLS) that accepts every message and keeps it in memory, so
// the SMTP mailer is tested against a real protocol exchange. Speaks EHLO/HELO, AUTH PLAIN and
// LOGIN, MAIL, RCPT, DATA, RSET, NOOP and QUIT — what nodemailer uses.
import type { Socket } from "bun";

export type ReceivedMail = { from: string; to: string[]; raw: string; auth: { user: string; pass: string } | null };

export type SmtpSink = {
  port: number;
  messages: ReceivedMail[];
  /** Resolves when at least `n` messages have arrived; rejects after `ms`. */
  waitFor(n: number, ms?: number): Promise<ReceivedMail[]>;
  stop(): void;
};

type ConnState = {
  buffer: string;
  mode: "command" | "data" | "auth-plain" | "auth-login-user" | "auth-login-pass";
  from: string;
  to: string[];
  data: string[];
  loginUser: string;
  auth: { user: string; pass: string } | null;
};

const fromB64 = (s: string) => Buffer.from(s.trim(), "base64").toString("utf8");

export function startSmtpSink(opts: { credentials?: { user: string; pass: string } } = {}): SmtpSink {
  const messages: ReceivedMail[] = [];
  const reply = (socket: Socket<ConnState>, line: string) => socket.write(`${line}\r\n`);

  const authenticate = (socket: Socket<ConnState>, user: string, pass: string) => {
    const want = opts.credentials;
    if (want && (want.user !== user || want.pass !== pass)) return reply(socket, "535 5.7.8 Authentication failed");
    socket.data.auth = { user, pass };
    reply(socket, "235 2.7.0 Authentication successful");
  };

  const command = (socket: Socket<ConnState>, line: string) => {
    const s = socket.data;
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === "EHLO") return socket.write("250-sink\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n");
    if (verb === "HELO") return reply(socket, "250 sink");
    if (line.toUpperCase().startsWith("AUTH PLAIN")) {
      const arg = line.slice(10).trim();
      if (!arg) {
        s.mode = "auth-plain";
        return reply(socket, "334 ");
      }
      const [, user = "", pass = ""] = fromB64(arg).split("\u0000");
      return authenticate(socket, user, pass);
    }
    if (line.toUpperCase().startsWith("AUTH LOGIN")) {
      s.mode = "auth-login-user";
      return reply(socket, "334 VXNlcm5hbWU6");
    }
    if (opts.credentials && !s.auth && (verb === "MAIL" || verb === "RCPT" || verb === "DATA")) return reply(socket, "530 5.7.0 Authentication required");
    if (verb === "MAIL") {
      s.from = /<([^>]*)>/.exec(line)?.[1] ?? "";
      s.to = [];
      return reply(socket, "250 OK");
    }
    if (verb === "RCPT") {
      s.to.push(/<([^>]*)>/.exec(line)?.[1] ?? "");
      return reply(socket, "250 OK");
    }
    if (verb === "DATA") {
      s.mode = "data";
      s.data = [];
      return reply(socket, "354 End data with <CR><LF>.<CR><LF>");
    }
    if (verb === "RSET" || verb === "NOOP") return reply(socket, "250 OK");
    if (verb === "QUIT") {
      reply(socket, "221 Bye");
      return socket.end();
    }
    reply(socket, "502 5.5.2 Command unrecognized");
  };

  const line = (socket: Socket<ConnState>, text: string) => {
    const s = socket.data;
    if (s.mode === "data") {
      if (text !== ".") return void s.data.push(text.startsWith("..") ? text.slice(1) : text);
      messages.push({ from: s.from, to: s.to, raw: s.data.join("\r\n"), auth: s.auth });
      s.mode = "command";
      return reply(socket, "250 OK queued");
    }
    if (s.mode === "auth-plain") {
      s.mode = "command";
      const [, user = "", pass = ""] = fromB64(text).split("\u0000");
      return authenticate(socket, user, pass);
    }
    if (s.mode === "auth-login-user") {
      s.loginUser = fromB64(text);
      s.mode = "auth-login-pass";
      return reply(socket, "334 UGFzc3dvcmQ6");
    }
    if (s.mode === "auth-login-pass") {
      s.mode = "command";
      return authenticate(socket, s.loginUser, fromB64(text));
    }
    command(socket, text);
  };

  const server = Bun.listen<ConnState>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        socket.data = { buffer: "", mode: "command", from: "", to: [], data: [], loginUser: "", auth: null };
        reply(socket, "220 sink ESMTP ready");
      },
      data(socket, chunk) {
        socket.data.buffer += chunk.toString("utf8");
        let nl: number;
        while ((nl = socket.data.buffer.indexOf("\r\n")) >= 0) {
          const text = socket.data.buffer.slice(0, nl);
          socket.data.buffer = socket.data.buffer.slice(nl + 2);
          line(socket, text);
        }
      },
    },
  });

  return {
    port: server.port,
    messages,
    async waitFor(n, ms = 5000) {
      const until = Date.now() + ms;
      while (messages.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} e-mails, got ${messages.length}`);
        await Bun.sleep(5);
      }
      return messages;
    },
    stop: () => server.stop(true),
  };
}

/** The text/plain body of a received message, with its transfer encoding undone. */
export function plainTextOf(raw: string): string {
  const part = findPart(raw, "text/plain");
  if (!part) throw new Error("no text/plain part in the message");
  return decodeBody(part.headers, part.body);
}

/** An unfolded header of a message, e.g. headerOf(raw, "to"). */
export function headerOf(raw: string, name: string): string | null {
  return parseHeaders(splitHead(raw).head)[name.toLowerCase()] ?? null;
}

function splitHead(raw: string): { head: string; body: string } {
  const i = raw.indexOf("\r\n\r\n");
  return i < 0 ? { head: raw, body: "" } : { head: raw.slice(0, i), body: raw.slice(i + 4) };
}

function parseHeaders(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const c = l.indexOf(":");
    if (c > 0) out[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
  }
  return out;
}

function findPart(raw: string, type: string): { headers: Record<string, string>; body: string } | null {
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head);
  const ctype = headers["content-type"] ?? "text/plain";
  if (ctype.toLowerCase().startsWith(type)) return { headers, body };
  const boundary = /boundary="?([^";]+)"?/i.exec(ctype)?.[1];
  if (!boundary) return null;
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith("--")) break;
    const found = findPart(chunk.replace(/^\r\n/, ""), type);
    if (found) return found;
  }
  return null;
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const cte = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  if (cte === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (cte !== "quoted-printable") return body;
  const bytes: number[] = [];
  const unwrapped = body.replace(/=\r\n/g, "");
  for (let i = 0; i < unwrapped.length; i++) {
    const ch = unwrapped[i]!;
    if (ch === "=" && /^[0-9A-F]{2}$/i.test(unwrapped.slice(i + 1, i + 3))) {
      bytes.push(parseInt(unwrapped.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(ch, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}
