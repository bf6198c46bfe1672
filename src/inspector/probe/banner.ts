// Recognises what a server says first (a "banner"): SSH, SMTP, FTP, POP3, IMAP, MySQL/MariaDB, VNC.
// Only the first line is kept, cleaned of control characters; nothing here trusts the text.
import { firstLine, looksLikeText, printable } from './text';

/** A recognised greeting. */
export interface Banner {
  /** One line, e.g. `SSH server: OpenSSH_9.6`. */
  summary: string;
  /** The first line as sent (cleaned, capped), or the version for binary greetings. */
  banner: string;
}

/** Bytes that make a greeting complete: a line break, or a whole MySQL packet. */
export function bannerComplete(data: Buffer): boolean {
  if (data.includes(0x0a)) {
    return true;
  }
  const mysqlLength = mysqlPacketLength(data);
  return mysqlLength !== undefined && data.length >= mysqlLength + 4;
}

function mysqlPacketLength(data: Buffer): number | undefined {
  // MySQL handshake packet: 3-byte little-endian payload length, sequence id 0, then protocol version 10
  // (or 0xff for an error packet such as "Host is not allowed to connect").
  if (data.length < 5 || data[3] !== 0 || (data[4] !== 0x0a && data[4] !== 0xff)) {
    return undefined;
  }
  const length = data.readUIntLE(0, 3);
  return length > 0 && length < 1024 ? length : undefined;
}

/** Describes the first bytes a server sent without being asked. `port` only breaks the SMTP/FTP tie. */
export function recognizeBanner(data: Buffer, port: number): Banner {
  const mysql = recognizeMysql(data);
  if (mysql) {
    return mysql;
  }
  if (!looksLikeText(data.subarray(0, 256))) {
    if (data[0] === 0xff && data.length >= 3 && data[1] >= 0xfb && data[1] <= 0xfe) {
      return { summary: 'Telnet server (sent option negotiation)', banner: '' };
    }
    return { summary: `Sent ${data.length} bytes of binary data first (not a text greeting)`, banner: hexPreview(data) };
  }
  const line = firstLine(data);
  const ssh = /^SSH-(\d+\.\d+)-(\S+)/.exec(line);
  if (ssh) {
    return { summary: `SSH server: ${ssh[2]} (protocol ${ssh[1]})`, banner: line };
  }
  if (/^220[ -]/.test(line)) {
    const rest = line.slice(4);
    const smtp = /\b(E?SMTP|Postfix|Exim|Sendmail)\b/i.test(line) || [25, 465, 587, 2525].includes(port);
    const ftp = /\bFTP\b/i.test(line) || [21, 2121].includes(port);
    const service = smtp && !ftp ? 'SMTP server' : ftp && !smtp ? 'FTP server' : 'SMTP or FTP server';
    return { summary: `${service}: ${rest || line}`, banner: line };
  }
  if (/^\+OK\b/.test(line)) {
    return { summary: `POP3 server: ${line.slice(3).trim() || 'ready'}`, banner: line };
  }
  if (/^\* (OK|PREAUTH)\b/i.test(line)) {
    return { summary: `IMAP server: ${line.slice(2)}`, banner: line };
  }
  if (/^RFB \d{3}\.\d{3}/.test(line)) {
    return { summary: `VNC server (${line})`, banner: line };
  }
  return { summary: `Sent a greeting: ${printable(line, 120)}`, banner: line };
}

function recognizeMysql(data: Buffer): Banner | undefined {
  const length = mysqlPacketLength(data);
  if (length === undefined) {
    return undefined;
  }
  if (data[4] === 0xff) {
    // Error packet: 2-byte code, then (protocol 4.1+) '#' and a 5-character SQL state, then the message.
    let text = data.subarray(7, 4 + length).toString('latin1');
    if (text.startsWith('#')) {
      text = text.slice(6);
    }
    const message = printable(text, 120);
    return { summary: `MySQL-compatible server that refused this client: ${message}`, banner: message };
  }
  const end = data.indexOf(0, 5);
  const version = printable(data.subarray(5, end === -1 ? Math.min(data.length, 5 + 64) : end).toString('latin1'), 64);
  if (!/^[\x20-\x7e]+$/.test(version) || !/\d/.test(version)) {
    return { summary: 'MySQL-compatible server (version not readable)', banner: '' };
  }
  if (/mariadb/i.test(version)) {
    // MariaDB announces itself as "5.5.5-10.11.6-MariaDB-…" so that old clients accept it.
    const short = version.replace(/^5\.5\.5-/, '').replace(/-MariaDB.*$/i, '');
    return { summary: `MariaDB server ${short || version}`, banner: version };
  }
  return { summary: `MySQL server ${version}`, banner: version };
}

function hexPreview(data: Buffer): string {
  const hex = data.subarray(0, 16).toString('hex').replace(/(..)/g, '$1 ').trim();
  return data.length > 16 ? `${hex} …` : hex;
}
