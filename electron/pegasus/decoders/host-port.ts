/**
 * `host:port` text as Pegasus writes it (rpc_address "ip:port", host_port "host:port"); an IPv6
 * host is accepted in brackets.
 */
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+):(\d{1,5})$/;

export function isHostPort(text: string): boolean {
  const match = HOST_PORT.exec(text);
  if (!match) return false;
  const port = Number(match[2]);
  return port >= 1 && port <= 65535;
}
