#!/usr/bin/env python3
"""Cross-checks Captures/expected.json against what tshark sees in each capture.

    scripts/lab/check-captures.py [CAPTURES_DIR]

A deliberately crude, independent reference (tshark fields, no ssmpath code): for each
TCP connection to 443 (or to the proxy) it finds the SSM hostname (SNI, CONNECT target,
or the DNS answer / hosts entry for the address) and a label:
  incomplete   the connection was already open when the capture started (no SYN)
  proxy        CONNECT answered 200 and TLS went on inside
  refused      the SYN was answered with RST
  timeout      no SYN-ACK at all
  reset        handshake done, RST from the server side before any ServerHello
  tls-failed   ClientHello sent, no ServerHello (or a fatal alert)
  vpc-endpoint / nat-internet   ServerHello from a private / public address
Prints one line per capture and exits 1 if any label list differs from expected.json.
"""
import ipaddress, json, os, subprocess, sys
from collections import OrderedDict, defaultdict

FIELDS = ["frame.number", "tcp.stream", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport",
          "tcp.dstport", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.reset", "tls.handshake.type",
          "tls.handshake.extensions_server_name", "tls.alert_message.level", "http.request.method",
          "http.request.uri", "http.response.code", "dns.qry.name", "dns.a", "dns.aaaa", "dns.flags.response",
          "tcp.analysis.retransmission"]


VPC_NETS = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")]


def is_vpc(addr):
    """RFC 1918 / ULA. (ipaddress' is_private also counts the documentation ranges used as "public".)"""
    a = ipaddress.ip_address(addr)
    return any(a in n for n in VPC_NETS)


def tshark(path):
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        vals = line.split("\t") + [""] * len(FIELDS)
        yield dict(zip(FIELDS, vals))


def flows(path, hosts_file_names):
    addr_name = {}
    streams = OrderedDict()
    for p in tshark(path):
        if p["dns.flags.response"] == "1" and p["dns.qry.name"]:
            for a in (p["dns.a"] + "," + p["dns.aaaa"]).split(","):
                if a:
                    addr_name[a] = p["dns.qry.name"]
        if not p["tcp.stream"]:
            continue
        src = p["ip.src"] or p["ipv6.src"]
        dst = p["ip.dst"] or p["ipv6.dst"]
        s = streams.get(p["tcp.stream"])
        if s is None:
            syn = p["tcp.flags.syn"] == "1" and p["tcp.flags.ack"] == "0"
            if p["tcp.dstport"] in ("443", "8888"):
                client, server = src, dst
            elif p["tcp.srcport"] in ("443", "8888"):
                client, server = dst, src
            else:
                continue
            s = streams[p["tcp.stream"]] = dict(client=client, server=server, midstream=not syn, synack=False,
                                                 rst_server=False, ch=False, sh=False, alert=False, sni="",
                                                 connect="", proxy_ok=False)
        from_server = src == s["server"]
        if p["tcp.flags.syn"] == "1" and p["tcp.flags.ack"] == "1" and from_server:
            s["synack"] = True
        if p["tcp.flags.reset"] == "1" and from_server:
            s["rst_server"] = True
        types = p["tls.handshake.type"].split(",")
        if "1" in types and not from_server:
            s["ch"] = True
            s["sni"] = s["sni"] or p["tls.handshake.extensions_server_name"].split(",")[0]
        if "2" in types and from_server:
            s["sh"] = True
        if "2" in p["tls.alert_message.level"].split(","):
            s["alert"] = True
        if p["http.request.method"] == "CONNECT":
            s["connect"] = p["http.request.uri"].rsplit(":", 1)[0]
        if p["http.response.code"] == "200" and from_server:
            s["proxy_ok"] = True
    result = defaultdict(list)
    for s in streams.values():
        name = s["connect"] or s["sni"] or addr_name.get(s["server"]) or hosts_file_names.get(s["server"], s["server"])
        if s["midstream"]:
            label = "incomplete"
        elif s["connect"]:
            label = "proxy" if s["proxy_ok"] and s["sh"] else "tls-failed"
        elif not s["synack"]:
            label = "refused" if s["rst_server"] else "timeout"
        elif s["sh"] and not s["alert"]:
            label = "vpc-endpoint" if is_vpc(s["server"]) else "nat-internet"
        elif s["rst_server"] and not s["sh"]:
            label = "reset"
        else:
            label = "tls-failed"
        result[name].append(label)
    return dict(result)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "Captures")
    with open(os.path.join(d, "expected.json")) as f:
        doc = json.load(f)
    bad = 0
    for c in doc["captures"]:
        got = flows(os.path.join(d, c["file"]), {})
        ssm = {k: v for k, v in got.items() if ".amazonaws.com" in k}
        want = {k: v for k, v in c["flows"].items() if v}
        ok = ssm == want
        bad += not ok
        print(f"{'ok  ' if ok else 'DIFF'} {c['file']:44} {c['verdict']:28} {json.dumps(ssm) if not ok else ''}")
        if not ok:
            print(f"     expected {json.dumps(want)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
