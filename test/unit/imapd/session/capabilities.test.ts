import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capabilityList } from '@courier-ts/imapd';

const COURIER =
  'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE';
const settings = { capability: COURIER, capabilityTls: `${COURIER} AUTH=PLAIN`, acl: true };
const CORE = new Set([
  'IMAP4REV1',
  'UIDPLUS',
  'CHILDREN',
  'NAMESPACE',
  'IDLE',
  'ENABLE',
  'UTF8=ACCEPT',
  'LITERAL+',
  'MOVE',
  'UNSELECT',
  'ID',
  'SASL-IR',
]);
const WITH_SEARCH = new Set([
  ...CORE,
  'SORT',
  'THREAD=ORDEREDSUBJECT',
  'THREAD=REFERENCES',
  'QUOTA',
  'ACL',
  'ACL2=UNION',
]);

const CASES = [
  {
    name: 'plain port before login, STARTTLS offered',
    implemented: CORE,
    st: { tls: false, starttls: true, loginDisabled: false, authenticated: false },
    want: 'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE IDLE STARTTLS ENABLE UTF8=ACCEPT MOVE UNSELECT ID LITERAL+ SASL-IR',
  },
  {
    name: 'TLS required: LOGINDISABLED',
    implemented: CORE,
    st: { tls: false, starttls: true, loginDisabled: true, authenticated: false },
    want: 'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE IDLE STARTTLS LOGINDISABLED ENABLE UTF8=ACCEPT MOVE UNSELECT ID LITERAL+ SASL-IR',
  },
  {
    name: 'under TLS after login: the _TLS list, no STARTTLS',
    implemented: CORE,
    st: { tls: true, starttls: false, loginDisabled: false, authenticated: true },
    want: 'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE IDLE AUTH=PLAIN ENABLE UTF8=ACCEPT MOVE UNSELECT ID LITERAL+',
  },
  {
    name: 'with the search, quota and ACL families registered: Courier order',
    implemented: WITH_SEARCH,
    st: { tls: false, starttls: true, loginDisabled: false, authenticated: false },
    want: `${COURIER} ACL ACL2=UNION STARTTLS ENABLE UTF8=ACCEPT MOVE UNSELECT ID LITERAL+ SASL-IR`,
  },
  {
    name: 'TLS with a certificate login id: AUTH=EXTERNAL where STARTTLS would be (Courier order)',
    implemented: WITH_SEARCH,
    st: { tls: true, starttls: false, loginDisabled: false, authenticated: false, external: true },
    want: `${COURIER} AUTH=PLAIN ACL ACL2=UNION AUTH=EXTERNAL ENABLE UTF8=ACCEPT MOVE UNSELECT ID LITERAL+ SASL-IR`,
  },
  {
    name: 'AUTH=EXTERNAL stays after the login (imapd keeps the TLS_SUBJECT_ environment)',
    implemented: WITH_SEARCH,
    st: { tls: true, starttls: false, loginDisabled: false, authenticated: true, external: true },
    want: `${COURIER} AUTH=PLAIN ACL ACL2=UNION AUTH=EXTERNAL ENABLE UTF8=ACCEPT MOVE UNSELECT ID LITERAL+`,
  },
  {
    name: 'no AUTH=EXTERNAL without a certificate login id, nor outside TLS',
    implemented: CORE,
    st: { tls: false, starttls: true, loginDisabled: false, authenticated: false, external: true },
    want: 'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE IDLE STARTTLS ENABLE UTF8=ACCEPT MOVE UNSELECT ID LITERAL+ SASL-IR',
  },
  {
    name: 'AUTH=EXTERNAL in IMAP_CAPABILITY_TLS is not advertised without a certificate login id',
    implemented: CORE,
    settings: { ...settings, capabilityTls: `${COURIER} AUTH=EXTERNAL AUTH=PLAIN` },
    st: { tls: true, starttls: false, loginDisabled: false, authenticated: false, external: false },
    want: 'IMAP4rev1 UIDPLUS CHILDREN NAMESPACE IDLE AUTH=PLAIN ENABLE UTF8=ACCEPT MOVE UNSELECT ID LITERAL+ SASL-IR',
  },
];

test('CAPABILITY built as Courier builds it, without what is not implemented', () => {
  for (const c of CASES)
    assert.equal(capabilityList(c.settings ?? settings, c.implemented, c.st).join(' '), c.want, c.name);
});
