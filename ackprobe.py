import smtplib, os, time, glob, re, uuid
def outbox(): return set(glob.glob('/tmp/x17run/data/outbox/new/*'))
cases = {
 'control (should ack)': ('c1@customer.example', 'From: c1@customer.example\r\n'),
 'precedence bulk comment': ('c2@customer.example', 'From: c2@customer.example\r\nPrecedence: bulk (mass)\r\n'),
 'precedence quoted': ('c3@customer.example', 'From: c3@customer.example\r\nPrecedence: "bulk"\r\n'),
 'auto-submitted encoded': ('c4@customer.example', 'From: c4@customer.example\r\nAuto-Submitted: =?us-ascii?q?auto-generated?=\r\n'),
 'owner- sender': ('owner-list@customer.example', 'From: owner-list@customer.example\r\n'),
 '-request sender': ('list-request@customer.example', 'From: list-request@customer.example\r\n'),
 'quoted mailer-daemon': ('"mailer-daemon"@customer.example', 'From: "mailer-daemon"@customer.example\r\n'),
 'x-autoreply': ('c5@customer.example', 'From: c5@customer.example\r\nX-Autoreply: yes\r\n'),
 'folded auto-submitted': ('c6@customer.example', 'From: c6@customer.example\r\nAuto-Submitted:\r\n auto-replied\r\n'),
 'x-precedence/ms autoreply': ('c7@customer.example', 'From: c7@customer.example\r\nX-Auto-Response-Suppress: DR, AutoReply\r\n'),
 'return-path header differs': ('c8@customer.example', 'From: victim@victim.example\r\nReturn-Path: <victim@victim.example>\r\n'),
 'feedback report': ('c9@customer.example', 'From: c9@customer.example\r\nContent-Type: multipart/report; report-type=feedback-report; boundary=x\r\n'),
 'from with two addresses': ('c10@customer.example', 'From: c10@customer.example, victim@victim.example\r\n'),
 'sender header victim': ('c11@customer.example', 'From: c11@customer.example\r\nSender: victim@victim.example\r\n'),
 'uppercase env': ('C12@CUSTOMER.EXAMPLE', 'From: c12@customer.example\r\n'),
 'env with trailing dot': ('c13@customer.example.', 'From: c13@customer.example\r\n'),
}
for name,(env,hdr) in cases.items():
    before=outbox()
    msg=hdr+'To: support@support.localhost\r\nSubject: probe %s\r\nMessage-ID: <%s@customer.example>\r\n\r\nhello\r\n'%(name,uuid.uuid4().hex)
    try:
        s=smtplib.SMTP('127.0.0.1',12525); s.sendmail(env,['support@support.localhost'],msg.encode()); s.quit(); res='250'
    except Exception as e: res='ERR '+str(e)[:80]
    time.sleep(0.6)
    new=outbox()-before
    to=''
    for f in new:
        to=re.search(r'^To: (.*)$',open(f).read(),re.M).group(1)
    print(f'{name:32} {res:5} acks={len(new)} {to}')
