#!/usr/bin/env python3
"""Drive a POP3 server with Python's poplib; print one JSON object with what it saw.

usage: poplib_client.py MODE PORT USER PASSWORD ACTION
MODE: plain | stls | ssl      ACTION: fetch (keep) | fetch-delete | drop-after-dele
"""
import json, poplib, ssl, sys

mode, port, user, password, action = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
if mode == 'ssl':
    p = poplib.POP3_SSL('127.0.0.1', port, context=ctx, timeout=20)
else:
    p = poplib.POP3('127.0.0.1', port, timeout=20)
out = {'welcome': p.getwelcome().decode()}
if mode == 'stls':
    out['stls'] = p.stls(ctx).decode()
out['capa'] = sorted(p.capa().keys())
p.user(user)
out['pass'] = p.pass_(password).decode()
count, size = p.stat()
out['stat'] = [count, size]
out['uidl'] = [u.decode() for u in p.uidl()[1]]
out['list'] = [l.decode() for l in p.list()[1]]
msgs = []
for i in range(1, count + 1):
    resp, lines, octets = p.retr(i)
    msgs.append({'resp': resp.decode(), 'lines': len(lines), 'octets': octets, 'first': lines[0].decode('latin1') if lines else ''})
out['messages'] = msgs
out['top1'] = [l.decode('latin1') for l in p.top(1, 0)[1]] if count else []
if action in ('fetch-delete', 'drop-after-dele'):
    for i in range(1, count + 1):
        p.dele(i)
if action == 'drop-after-dele':
    p.sock.close()
    out['quit'] = None
else:
    out['quit'] = p.quit().decode()
print(json.dumps(out))
