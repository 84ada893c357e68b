#!/usr/bin/env python3
"""Generate the eval/dev mail set: NNN-slug.eml files and labels.yaml.

    python3 eval/dev/make.py          # (re)write the .eml files, labels.yaml and the counts in README.md
    python3 eval/dev/make.py --check  # verify the files on disk, the labels and the counts

Written by the Frontdesk project, session 12, from ../../../shared/eval/faq.yaml and the
routing policy in ../shared/eval/README.md only (blind to public-b). Output is
deterministic: running it twice gives the same bytes.
"""
import base64
import binascii
import email
import email.policy
import os
import re
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FAQ = os.path.join(HERE, "..", "..", "..", "shared", "eval", "faq.yaml")
DOMAIN = "acme-appliances.example"
DEPT_OF = {"support": "support", "sales": "sales", "billing": "finance", "jobs": "hr", "press": "pr"}


# --- encoding helpers ----------------------------------------------------------------------

def is_ascii(s):
    return all(ord(c) < 128 for c in s)


def _chunks(s, cs, limit):
    """Split s into pieces whose encoding in cs is at most limit bytes (whole characters)."""
    out, cur = [], ""
    for ch in s:
        if cur and len((cur + ch).encode(cs)) > limit:
            out.append(cur)
            cur = ""
        cur += ch
    if cur:
        out.append(cur)
    return out


def _q(b):
    r = []
    for x in b:
        c = chr(x)
        if c == " ":
            r.append("_")
        elif c.isalnum() and x < 128:
            r.append(c)
        else:
            r.append("=%02X" % x)
    return "".join(r)


def ew(s, cs="UTF-8", mode="B"):
    """RFC 2047 encoded words for s (plain s when it is ASCII), folded with CRLF SP."""
    if is_ascii(s):
        return s
    words = []
    for part in _chunks(s, cs.lower(), 39 if mode == "B" else 20):
        b = part.encode(cs.lower())
        if mode == "B":
            words.append("=?%s?B?%s?=" % (cs, base64.b64encode(b).decode()))
        else:
            words.append("=?%s?Q?%s?=" % (cs, _q(b)))
    return "\r\n ".join(words)


def addr(name, address, cs="UTF-8", mode="B", quoted=False):
    if not name:
        return address
    if is_ascii(name):
        if re.search(r'[^A-Za-z0-9 !#$%&\'*+/=?^_`{|}~-]', name):
            return '"%s" <%s>' % (name, address)
        return "%s <%s>" % (name, address)
    # One encoded word: Python's address parser puts a space between adjacent
    # encoded words in a display name, and names are short enough.
    b = name.encode(cs.lower())
    w = ("=?%s?B?%s?=" % (cs, base64.b64encode(b).decode())) if mode == "B" else ("=?%s?Q?%s?=" % (cs, _q(b)))
    assert len(w) <= 75, name
    return ('"%s" <%s>' % (w, address)) if quoted else ("%s <%s>" % (w, address))


def crlf(b):
    return b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def encode_body(text, cs, cte):
    b = text.encode(cs.lower())
    if cte in ("7bit", "8bit"):
        if cte == "7bit":
            assert all(x < 128 for x in b), "7bit body with 8-bit bytes"
        return crlf(b)
    if cte == "quoted-printable":
        lines = [binascii.b2a_qp(l, quotetabs=False, istext=True).replace(b"\n", b"\r\n")
                 for l in b.split(b"\n")]
        return b"\r\n".join(lines)
    if cte == "base64":
        return crlf(base64.encodebytes(crlf(b)))
    raise ValueError(cte)


def b64file(data):
    return crlf(base64.encodebytes(data))


def png(w, h, seed):
    """A small valid PNG (greyscale gradient)."""
    raw = b"".join(b"\x00" + bytes(((x * 7 + y * 13 + seed) % 256) for x in range(w)) for y in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def pdf(text):
    """A minimal one-page PDF showing an ASCII line."""
    stream = ("BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    return out


def to_html(text, cs):
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    paras = [p.replace("\n", "<br>\n") for p in esc.strip("\n").split("\n\n")]
    return "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=%s\"></head>\n<body>\n" % cs \
        + "\n".join("<div>%s</div><div><br></div>" % p for p in paras) + "\n</body></html>\n"


# --- building a message --------------------------------------------------------------------

def text_part(body, cs, cte, subtype="plain"):
    ctype = "text/%s; charset=\"%s\"" % (subtype, cs)
    head = ("Content-Type: %s\r\nContent-Transfer-Encoding: %s\r\n\r\n" % (ctype, cte)).encode()
    return head, encode_body(body, cs, cte)


def build(m):
    cs = m.get("charset", "UTF-8")
    cte = m.get("cte", "8bit")
    hcs = m.get("hcharset", cs if cs.upper() not in ("US-ASCII",) else "UTF-8")
    mode = m.get("hmode", "B")
    h = []
    name, address = m["from"]
    h.append("From: " + addr(name, address, hcs, mode, m.get("quoted_name", False)))
    to = m["to"]
    h.append("To: " + addr(m.get("to_name", ""), to + "@" + DOMAIN, hcs, mode, m.get("quoted_name", False)))
    for extra in m.get("cc", []):
        h.append("Cc: " + extra)
    h.append("Subject: " + ew(m["subject"], hcs, mode))
    h.append("Date: " + m["date"])
    h.append("Message-ID: <%s>" % m["msgid"])
    if m.get("reply_to_id"):
        h.append("In-Reply-To: <%s>" % m["reply_to_id"])
        h.append("References: <%s>" % m["reply_to_id"])
    h.append("MIME-Version: 1.0")
    h.extend(m.get("headers", []))
    kind = m.get("kind", "plain")
    body = m["body"].lstrip("\n")
    bnd = "----=_Part_%s" % m["msgid"].split("@")[0][-12:].replace(".", "_")
    if kind == "plain":
        ph, pb = text_part(body, cs, cte)
        return crlf("\n".join(h).encode()) + b"\r\n" + ph + pb
    if kind == "html":
        html = m.get("html") or to_html(body, cs)
        ph, pb = text_part(html, cs, cte, "html")
        return crlf("\n".join(h).encode()) + b"\r\n" + ph + pb
    out = crlf("\n".join(h).encode()) + b"\r\n"
    if kind == "alt":
        html = m.get("html") or to_html(body, cs)
        out += ("Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n" % bnd).encode()
        out += b"This is a multi-part message in MIME format.\r\n\r\n"
        for sub, t, e in (("plain", body, cte), ("html", html, m.get("html_cte", cte))):
            ph, pb = text_part(t, cs, e, sub)
            out += ("--%s\r\n" % bnd).encode() + ph + pb + b"\r\n"
        return out + ("--%s--\r\n" % bnd).encode()
    if kind == "mixed":
        out += ("Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n" % bnd).encode()
        out += b"This is a multi-part message in MIME format.\r\n"
        ph, pb = text_part(body, cs, cte)
        out += ("--%s\r\n" % bnd).encode() + ph + pb + b"\r\n"
        for ctype, fname, data in m["attach"]:
            if is_ascii(fname):
                disp = "Content-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\n" % (
                    ctype, fname, fname)
            else:
                pct = "".join(c if (c.isascii() and (c.isalnum() or c in "._-")) else
                              "".join("%%%02X" % x for x in c.encode("utf-8")) for c in fname)
                disp = ("Content-Type: %s;\r\n name=\"%s\"\r\nContent-Disposition: attachment;\r\n"
                        " filename*=UTF-8''%s\r\n") % (ctype, ew(fname, "UTF-8", "B").replace("\r\n ", ""), pct)
            out += ("--%s\r\n" % bnd).encode() + disp.encode() + b"Content-Transfer-Encoding: base64\r\n\r\n"
            out += b64file(data) + b"\r\n"
        return out + ("--%s--\r\n" % bnd).encode()
    raise ValueError(kind)


# --- the mails -----------------------------------------------------------------------------
# Each entry: the label (n, slug, lang, dept, faq, note) and what the mail looks like.

PNG1 = png(16, 12, 3)
PNG2 = png(24, 16, 91)
PNG3 = png(20, 20, 47)

MAILS = [
dict(n=1, slug="kettle-no-light", lang="en", dept="support", faq=["kettle-not-heating", "repair-booking"],
     note="no model named; dead kettle three weeks after delivery (past the 15-day exchange window)",
     **{"from": ("Gareth Pryce", "g.pryce@example.net")}, to="support", subject="kettle",
     date="Tue, 01 Dec 2026 07:42:10 +0000", msgid="a1b2c3d4.kettle@example.net", charset="US-ASCII", cte="7bit",
     headers=["X-Mailer: iPhone Mail (22C152)"],
     body="""
Hi

It stopped working this morning. The light on the bottom dosent come on any more and
nothing happens when I press the switch, water is in it. Tried another socket in the kitchen
as well. We only got it about 3 weeks ago (the glass one with the blue ring).

What do I do now

Gareth

Sent from my iPhone
"""),
dict(n=2, slug="robot-hoover-not-arrived-sales", lang="en", dept="support", faq=["order-tracking"],
     note="sent to sales@; 'robot hoover', tracking not moving for days",
     **{"from": ("Priya Raman", "priya.raman@example.com")}, to="sales", subject="Still waiting....",
     date="Wed, 02 Dec 2026 21:15:33 +0800", msgid="CAF7x2kq9@mail.example.com", cte="quoted-printable",
     headers=["Content-Language: en-GB"],
     body="""
Hello,

I ordered the robot hoover (the one with the self emptying bin) on the 26th, order AC2611268841. You took the money straight away, no problem there. The website said it was sent on the 27th and since then the little tracking thing just says "in transit – Shanghai hub" and hasn't changed since Saturday. It's now Wednesday night.

I'm not trying to be difficult but I took a day of on Monday because I thought it would come. Can somebody actualy look at where it is? I don't know if it's lost or what.

Thanks
Priya
"""),
dict(n=3, slug="card-taken-twice-sales", lang="en", dept="finance", faq=["payment-problems"],
     note="HTML only, sent to sales@; double charge on the card statement",
     **{"from": ("Tom Whitfield", "tomwhitfield@example.net")}, to="sales",
     subject="Two payments on my card??", date="Thu, 03 Dec 2026 10:02:47 +0000",
     msgid="0100018f3b.whitfield@example.net", kind="html", cte="quoted-printable",
     body="""
Hi there,

Just looked at my banking app and there are TWO payments to Acme Appliances of 1,299.00 each on the 1st of December. I only bought one purifier. First time the page hung on the spinning wheel so I pressed pay again, and now it looks like you've taken it twice.

Please sort this out, that's a lot of money to have missing before Christmas.

Tom Whitfield
"""),
dict(n=4, slug="robot-dog-hair-stops", lang="en", dept="support", faq=["vacuum-stuck-errors"],
     note="multipart/alternative; 'error 2' with dog hair, never says 'stuck'",
     **{"from": ("Megan O'Neill", "megan.oneill@example.com")}, to="support",
     subject="Robot keeps stopping in the living room", date="Fri, 04 Dec 2026 18:20:05 -0500",
     msgid="DM6PR11MB.4471@example.com", kind="alt", cte="quoted-printable",
     headers=["X-MS-Has-Attach: ", "Content-Language: en-US"],
     body="""
Hi,

Our robot (S8, about 4 months old) has started stopping halfway through the living room and the app says Error 2. We have two golden retrievers so there's hair everywhere, which is the whole reason we bought it lol. I turn it off and on and it goes for another 5 minutes and then does the same thing and beeps at us.

Is it broken or is there something I should be cleaning?

Megan
"""),
dict(n=5, slug="purifier-too-big-send-back", lang="en", dept="support", faq=["returns-7-day"],
     note="change of mind four days after delivery, box opened; 'send it back'",
     **{"from": ("Daniel Okafor", "dan.okafor@example.net")}, to="support",
     subject="Air purifier - bit of a mistake on my part", date="Sat, 05 Dec 2026 11:31:00 +0000",
     msgid="20261205113100.okafor@example.net", charset="UTF-8", cte="8bit",
     body="""
Morning,

Bit embarrassing this. I bought the bigger air purifier (AP-600) for my flat and it arrived on Tuesday. Honestly it's far too big for the bedroom, it's basically the size of a small fridge next to the bed, and I think I just got carried away reading reviews.

It works fine, nothing wrong with it. I've opened the box and plugged it in once but that's it, everything is still there incl. the plastic on the remote. I'd just rather not keep it. How do I go about sending it back and do I have to pay for the courier?

Cheers,
Dan
"""),
dict(n=6, slug="rice-cooker-money-back-support", lang="en", dept="finance", faq=["refund-timing"],
     note="refund status sent to support@; reply quoting our earlier acknowledgement",
     **{"from": ("Linda Chow", "linda.chow@example.com")}, to="support",
     subject="Re: [Acme #48213] We received your request", date="Mon, 30 Nov 2026 09:14:22 +0800",
     msgid="CAKx9Lq.chow.2@mail.example.com", reply_to_id="ack-48213@acme-appliances.example",
     cte="quoted-printable",
     body="""
Hello again,

The courier picked up the rice cooker on 13 Nov, your system says "received at warehouse" since the 18th. It's now the end of the month and nothing is back on my Visa card. Your email below said it would be quick. Is something wrong with it?

Linda

On Fri, 13 Nov 2026 at 16:02, Acme Appliances Support <support@acme-appliances.example> wrote:
> Dear customer,
>
> Thank you for contacting Acme Appliances. We have received your message and
> created ticket #48213. A member of our team will reply within one working day.
>
> Acme Appliances Customer Care
"""),
dict(n=7, slug="receipt-for-employer", lang="en", dept="finance", faq=["invoice-request"],
     note="'receipt with the company name on it' for an employer claim; never says invoice",
     **{"from": ("Kevin Marsh", "kevin.marsh@example.com")}, to="billing",
     subject="Receipt for work", date="Tue, 01 Dec 2026 14:48:19 +0800",
     msgid="5f1e2a7b-marsh@example.com", charset="US-ASCII", cte="7bit",
     body="""
Hi,

I bought two dehumidifiers for our office in Suzhou last week (order AC2611240032) and paid on my
own card. My company will pay me back but accounts need a proper receipt with the company name and
the tax number on it, not just the order confirmation email. I didn't see anything about this when
I was paying.

Company is Northwind Trading (Suzhou) Co., Ltd. I can send the tax number if you need it.

Best regards
Kevin Marsh
"""),
dict(n=8, slug="thanks-to-installer", lang="en", dept="support", faq=[],
     note="praise only; asks nothing",
     **{"from": ("Ruth Adeyemi", "ruth.adeyemi@example.net")}, to="support",
     subject="Mr Zhang who came on Saturday", date="Sun, 06 Dec 2026 20:05:41 +0800",
     msgid="R8e3.adeyemi@example.net", cte="quoted-printable",
     body="""
Hello,

I just wanted to say a big thank you for the gentleman (Mr Zhang) who came on Saturday afternoon to put in the water filter under our sink. He was on time, put down a sheet so he didn't dirty the floor, explained everything slowly for my mother-in-law and even took the empty boxes away with him.

We don't often get service like that so I thought somebody should know. Please pass it on to his manager.

Kind regards,
Ruth Adeyemi
"""),
dict(n=9, slug="livestream-agency-pitch", lang="en", dept="pr", faq=[],
     note="marketing/influencer agency pitch sent to sales@; not a sale, no FAQ",
     **{"from": ("Vivian Soh | BrightReach Media", "vivian@brightreach.example")}, to="sales",
     subject="Quick idea for Acme's Q1 livestream sales", date="Wed, 02 Dec 2026 16:30:00 +0800",
     msgid="bre.20261202.1630.vsoh@brightreach.example", kind="alt", cte="quoted-printable",
     headers=["List-Unsubscribe: <mailto:unsubscribe@brightreach.example>", "X-Mailer: HubSpot"],
     body="""
Hi team,

I'm Vivian from BrightReach Media. We manage 40+ home & lifestyle creators across Douyin, Xiaohongshu and Instagram with a combined reach of 12M followers.

We recently helped a kitchen-appliance brand triple its GMV during 11.11 with a 6-week creator seeding + livestream programme, and I think Acme's air purifiers would be a great fit for our pre-CNY campaign.

Would you be open to a 20-minute call next week? Happy to share our rate card and case studies.

Best,
Vivian Soh
Partnerships Director, BrightReach Media
If you'd rather not hear from us, just reply "no thanks".
"""),
dict(n=10, slug="out-of-office-autoreply", lang="en", dept="support", faq=[],
     note="auto-reply to our acknowledgement, Auto-Submitted: auto-replied",
     **{"from": ("Henrik Larsen", "henrik.larsen@example.com")}, to="support",
     subject="Automatic reply: [Acme #48877] We received your request",
     date="Thu, 03 Dec 2026 02:11:09 +0100", msgid="AM0PR07.autoreply.larsen@example.com",
     reply_to_id="ack-48877@acme-appliances.example", charset="US-ASCII", cte="7bit",
     headers=["Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All", "Precedence: auto_reply"],
     body="""
Thank you for your email. I am out of the office until Monday 14 December with limited access
to email. For urgent matters please contact my colleague Sofie Holm (sofie.holm@example.com).

Best regards,
Henrik Larsen
"""),
dict(n=11, slug="cv-ecommerce-ops", lang="en", dept="hr", faq=[],
     note="job application with CV attached, sent to jobs@ as the careers page asks",
     **{"from": ("Chloe Tan", "chloe.tan.work@example.com")}, to="jobs",
     subject="Application - E-commerce Operations Specialist (Shanghai)", date="Mon, 30 Nov 2026 22:40:12 +0800",
     msgid="CH0TAN.cv.2026@example.com", kind="mixed", cte="quoted-printable",
     attach=[("application/pdf", "Chloe_Tan_CV.pdf", pdf("Chloe Tan - Curriculum Vitae"))],
     body="""
Dear Hiring Team,

I would like to apply for the E-commerce Operations Specialist role in Shanghai that I saw on your careers page. I have three years' experience running Tmall and JD flagship stores for a personal-care brand, including campaign planning for 618 and 11.11, and I am fluent in English and Mandarin.

Please find my CV attached. I am available for an interview at any time and could start in February.

Thank you for your consideration.

Yours faithfully,
Chloe Tan
+86 138 0000 1234
"""),
dict(n=12, slug="blogger-needs-photos-logo", lang="en", dept="pr", faq=["press-contact"],
     note="writer asks for hi-res product photos and logo for a gift guide",
     **{"from": ("Sam Hargreaves", "sam@homegadgetweekly.example")}, to="press",
     subject="Gift guide - images?", date="Fri, 04 Dec 2026 12:00:45 +0000",
     msgid="hgw-4412-sam@homegadgetweekly.example", charset="US-ASCII", cte="7bit",
     body="""
Hi Acme folks,

I'm putting together our "gadgets for people who have everything" Christmas list for Home Gadget
Weekly and the little smart kettle is going in. I need a couple of decent-resolution pictures of it
on a white background and your logo, ideally today or Monday at the latest as we go live on the
10th. The ones on your shop page are too small and have text over them.

Also, is there someone I could ask two or three quick questions for the blurb?

Cheers,
Sam Hargreaves
Contributing editor, Home Gadget Weekly
"""),
dict(n=13, slug="nursery-which-purifier", lang="en", dept="sales", faq=["choosing-a-model", "energy-noise-specs"],
     note="pre-sale; room size and loudness at night for a baby's room",
     **{"from": ("Aisha Rahman", "aisha.r@example.net")}, to="sales",
     subject="Advice please - baby's room", date="Sat, 05 Dec 2026 23:55:02 +0800",
     msgid="aisha.r.1205@example.net", cte="quoted-printable",
     body="""
Hi,

We're expecting our first in February and are trying to get the nursery sorted. It's a small room, around 12-13 sqm, on a main road so the air isn't great. Your website has a few purifiers and honestly I can't tell the difference between them apart from the price.

The main thing is it will be running all night right next to the cot, so if it hums or whines that's a no. How quiet is the quietest setting really, and would the smaller one be enough for that size of room or do I need the big one?

Thank you!
Aisha
"""),
dict(n=14, slug="hotel-dehumidifiers-quote", lang="en", dept="sales", faq=["corporate-bulk-purchase", "invoice-vat-special"],
     note="multipart/alternative; 60 units for a hotel, asks for the special VAT invoice for input deduction",
     **{"from": ("Jason Liu", "jason.liu@pearlriverhotel.example")}, to="sales",
     subject="Enquiry: 60 dehumidifiers for Pearl River Hotel", date="Tue, 01 Dec 2026 09:30:18 +0800",
     msgid="PRH-PUR-20261201-0930@pearlriverhotel.example", kind="alt", cte="base64", html_cte="base64",
     headers=["X-Mailer: Microsoft Outlook 16.0", "Content-Language: en-US"],
     body="""
Dear Sir/Madam,

Pearl River Hotel (Guangzhou, Tianhe District) is renovating two floors of guest rooms and we are looking at your dehumidifiers for the rooms, as the spring humidity here is a constant complaint from guests.

We would need approximately 60 units delivered to the hotel in late February. Could you let us know what price you can offer for this quantity and how payment would work? Our finance department also requires a VAT special invoice so that the input tax can be deducted.

Best regards,

Jason Liu
Purchasing Manager
Pearl River Hotel
Tel: +86 20 0000 8899
"""),
dict(n=15, slug="inner-pot-coating-question", lang="en", dept="sales", faq=[],
     note="pre-sale question the catalog does not cover (what the inner pot coating is made of)",
     **{"from": ("Hannah Berg", "hannah.berg@example.com")}, to="sales",
     subject="rice cooker pot - what is it made of?", date="Wed, 02 Dec 2026 19:12:44 +0100",
     msgid="hb-8823-rc@example.com", charset="UTF-8", cte="quoted-printable",
     body="""
Hello,

I'm thinking about buying your rice cooker but I've become a bit paranoid about non-stick coatings after a documentary. What exactly is the inside of the bowl made of? Is it a teflon type coating, ceramic, or something else, and does it contain PFAS/PFOA? The product page only says "non-stick".

Many thanks,
Hannah
"""),
dict(n=16, slug="deliver-to-singapore-gst-sales", lang="en", dept="support", faq=["shipping-international"],
     note="shipping/customs question sent to sales@; GST in Singapore",
     **{"from": ("Marcus Lim", "marcus.lim@example.com.sg")}, to="sales",
     subject="Singapore?", date="Thu, 03 Dec 2026 13:05:27 +0800",
     msgid="marcuslim.sg.77@example.com.sg", charset="US-ASCII", cte="7bit",
     body="""
hi, my sister in shanghai has the robot vacuum and i want the same one. do you guys send to
singapore or must she buy and post it to me? also will I kena GST on top or is it included in the
price. how long would it take roughly

thx
marcus
"""),
dict(n=17, slug="white-instead-of-grey", lang="en", dept="support", faq=["exchanges"],
     note="wrong colour delivered; wants the right one, not a refund",
     **{"from": ("Olivia Grant", "olivia.grant@example.net")}, to="support",
     subject="Wrong one came", date="Fri, 04 Dec 2026 17:48:30 +0800",
     msgid="og.20261204.174830@example.net", cte="8bit",
     body="""
Hello,

Opened the box tonight and it's the white robot. I chose the dark grey one on purpose because the white one shows every scuff, and my order confirmation (AC2612010417) clearly says Graphite Grey. I haven't used it, it's still in the plastic.

I still want the grey one, I don't want my money back. What happens now? Do I need to pack this one up again?

Olivia
"""),
dict(n=18, slug="kettle-box-crushed-photos", lang="en", dept="support", faq=["damaged-on-arrival"],
     note="multipart/mixed with two PNG photos; crushed box, cracked lid, base missing",
     **{"from": ("Peter Novak", "peter.novak@example.com")}, to="support",
     subject="Delivered today in a terrible state", date="Sat, 05 Dec 2026 15:22:09 +0800",
     msgid="pn-dmg-20261205@example.com", kind="mixed", cte="quoted-printable",
     attach=[("image/png", "IMG_4471.png", PNG1), ("image/png", "IMG_4472.png", PNG2)],
     body="""
Hi,

The courier left the kettle at reception this afternoon. The outer box was squashed in on one corner and when I opened it the lid of the kettle has a crack right across it. Also there's no power base in the box at all, just the kettle and the manual.

Photos attached of the box, the label and the lid. I haven't thrown anything away.

Peter Novak
Order AC2612030988
"""),
dict(n=19, slug="dehumidifier-garage-barely-any-water", lang="en", dept="support", faq=["dehumidifier-no-water"],
     note="garage in winter; 'bucket' barely fills and it keeps stopping and starting",
     **{"from": ("Ian Fletcher", "ian.fletcher@example.net")}, to="support",
     subject="Dehumidifier not doing much", date="Sun, 06 Dec 2026 10:10:10 +0800",
     msgid="if-garage-0610@example.net", charset="US-ASCII", cte="7bit",
     body="""
Hello

Bought the dehumidifier in October for the garage in Dalian where I keep my tools and the
motorbike, there's always condensation on everything. First few weeks it filled the bucket every
day. Now its cold out (garage is about 3-4 degrees in the morning) and theres barely a cup of
water after a whole day. It also keeps going quiet for half an hour and then starting again. Is it
on its way out? It's only 2 months old.

Ian
"""),
dict(n=20, slug="new-phone-cant-get-in-app", lang="en", dept="support", faq=["account-password"],
     note="new phone, code never arrives, account locked",
     **{"from": ("Grace Wu", "grace.wu@example.com")}, to="support",
     subject="Locked out of the app", date="Mon, 30 Nov 2026 08:03:55 +0800",
     msgid="gw-app-113055@example.com", cte="quoted-printable",
     body="""
Hi,

Got a new phone over the weekend and now I can't get back into the Acme Home app to control the purifier. I've tried my password about six times (I thought I knew it), pressed the button to get a text and it never arrives. Now it says try again later.

My old number is still the same number by the way, just a new handset. Very annoying as the purifier is stuck on turbo mode.

Grace
"""),
dict(n=21, slug="stop-the-texts-delete-me", lang="en", dept="support", faq=["privacy-data-deletion"],
     note="annoyed about marketing texts, wants personal details removed",
     **{"from": ("R. Holloway", "rholloway@example.net")}, to="support",
     subject="STOP", date="Tue, 01 Dec 2026 21:40:00 +0000", msgid="rh.stop.2101@example.net",
     charset="US-ASCII", cte="7bit",
     body="""
I bought one kettle from you in the summer. Since then I get a text from you almost every day
about some sale or other. I have had enough. Stop sending them and take my phone number and
everything else you hold about me off your system. I don't want an account with you.

R. Holloway
"""),
dict(n=22, slug="courier-rude-complaint", lang="en", dept="support", faq=[],
     note="complaint about a courier's behaviour; no question the FAQ covers (parcel was delivered)",
     **{"from": ("Beatrice Lam", "bea.lam@example.com")}, to="support",
     subject="Your delivery driver", date="Wed, 02 Dec 2026 18:33:21 +0800", msgid="bl-cmp-1833@example.com",
     kind="html", cte="quoted-printable",
     body="""
To whom it may concern,

I did get my purifier today so this is not about that. But the driver who brought it shouted at my elderly father through the intercom because he took a minute to come downstairs, then dropped the box on the floor in the lobby in front of the neighbours and walked off.

I know he probably doesn't work for you directly but you chose that company and I think you should know how your customers are being treated. My father was upset for the rest of the afternoon.

Beatrice Lam
"""),
dict(n=23, slug="malaysia-distributor-to-press", lang="en", dept="sales", faq=["dealer-partnership"],
     note="wants to distribute in Malaysia; sent to press@",
     **{"from": ("Ahmad Faizal bin Yusof", "faizal@kl-homeliving.example")}, to="press",
     subject="Partnership - Malaysia", date="Thu, 03 Dec 2026 11:11:11 +0800",
     msgid="KLHL-2026-1203-faizal@kl-homeliving.example", cte="quoted-printable",
     headers=["X-Mailer: Microsoft Outlook 16.0"],
     body="""
Dear Acme team,

I found this address on your website, apologies if it is not the right one.

KL Home Living Sdn Bhd runs 14 home appliance showrooms across Klang Valley and Penang plus our own Shopee and Lazada stores. Our customers keep asking about Chinese smart home brands and we believe your purifiers and robot vacuums would do well here, especially with the haze season.

We are interested in carrying your products in Malaysia, possibly on an exclusive basis. Could you let us know how this works and who we should speak to?

Regards,
Ahmad Faizal bin Yusof
Head of Merchandising, KL Home Living Sdn Bhd
"""),
dict(n=24, slug="paid-more-than-now", lang="en", dept="support", faq=["price-protection"],
     note="price dropped a week after buying; never says 'price protection'",
     **{"from": ("Nathan Cole", "nathan.cole@example.net")}, to="support",
     subject="Bit annoyed", date="Fri, 04 Dec 2026 20:20:20 +0800", msgid="nc-2020-1204@example.net",
     charset="US-ASCII", cte="7bit",
     body="""
Hi

I paid 1,999 for the S8 robot on 27 November (order AC2611271120). I just had a look on your
website and the exact same thing is now 1,699. That's 300 more than someone buying it today, a
week later. Not a sale thing, just the normal price on the product page.

Is there anything you can do or am I just unlucky?

Nathan
"""),
dict(n=25, slug="reply-never-mind-working", lang="en", dept="support", faq=[],
     note="follow-up: problem solved itself, thanks; quoted acknowledgement",
     **{"from": ("Sophie Martin", "sophie.martin@example.com")}, to="support",
     subject="Re: [Acme #49002] We received your request", date="Sat, 05 Dec 2026 09:47:12 +0800",
     msgid="CAM-sm-49002-r1@example.com", reply_to_id="ack-49002@acme-appliances.example",
     cte="quoted-printable",
     body="""
Hi, please ignore my email from last night. My husband restarted the router this morning and the purifier is showing up again in the app. Sorry for the bother and thanks anyway!

Sophie

On Fri, Dec 4, 2026 at 11:58 PM Acme Appliances Support <support@acme-appliances.example> wrote:
> Dear customer,
>
> Thank you for contacting Acme Appliances. We have received your message and
> created ticket #49002. A member of our team will reply within one working day.
>
> Acme Appliances Customer Care
"""),
dict(n=26, slug="chugui-dibu-shi-le", lang="zh", dept="support", faq=["water-purifier-leak", "repair-booking"],
     note="GBK base64, Foxmail quoted display name; cabinet floor wet under the sink, asks whether someone should come",
     **{"from": ("赵丽娟", "zhaolj1988@mail-hz.example")}, to="support", quoted_name=True,
     subject="厨房柜子里全是水", date="Sun, 29 Nov 2026 19:26:41 +0800",
     msgid="202611291926413318722@mail-hz.example", charset="GBK", cte="base64",
     headers=["X-Priority: 3", "X-Has-Attach: no", "X-Mailer: Foxmail 7.2.25.375[cn]"],
     body="""
你好，

今天晚上做饭的时候发现水槽下面的柜子底板全湿了，木板都有点泡起来了。擦干以后过了一会儿又有水，好像是从你们那个净水机的管子接头那里一滴一滴往下掉的，机器还叫了几声。

上个月才装的，现在我把总阀关了，家里老人说先别用。我应该怎么弄？要不要叫人来看？

赵丽娟
杭州 余杭区
"""),
dict(n=27, slug="fapiao-gongsi-mingzi-cuo-support", lang="zh", dept="finance", faq=["invoice-correction"],
     note="sent to support@; company name on the e-invoice missing 有限公司; PDF attachment with a Chinese file name",
     **{"from": ("财务部 孙敏", "sunmin@hengda-tech.example")}, to="support",
     subject="发票抬头少了几个字，麻烦处理", date="Mon, 30 Nov 2026 10:12:37 +0800",
     msgid="6f2c1e90-0b7d-4e0c-9a11-hengda.sun@hengda-tech.example", kind="mixed", cte="8bit",
     headers=["User-Agent: Mozilla Thunderbird", "Content-Language: zh-CN"],
     attach=[("application/pdf", "电子发票_AC2611150376.pdf", pdf("Invoice AC2611150376"))],
     body="""
您好：

我们公司11月中旬在贵司官网买了一台除湿机（订单号 AC2611150376），收到的电子发票上单位名称写成了“杭州恒达科技”，后面的“有限公司”没有了，我们这边没法入账。

附件是收到的那张，请帮忙按“杭州恒达科技有限公司”重新开一张，税号不变。

谢谢！

--
孙敏
杭州恒达科技有限公司 财务部
0571-0000 6688
"""),
dict(n=28, slug="zhuanpiao-dikou", lang="zh", dept="finance", faq=["invoice-vat-special", "invoice-correction"],
     note="GB18030 QP; ordinary invoice chosen at checkout, company needs a special one to deduct input VAT",
     **{"from": ("周会计", "zhou.kj@yuanxin-food.example")}, to="billing",
     subject="专票开具", date="Tue, 01 Dec 2026 15:40:02 +0800",
     msgid="yx.zhou.20261201154002@yuanxin-food.example", charset="GB18030", cte="quoted-printable",
     body="""
你好，

我司前两天在你们官网下单了3台空气净化器（订单 AC2611281203），下单的同事选的是普通电子发票，但是我们是一般纳税人，需要能抵扣进项的那种票。

开票资料如下：
单位名称：苏州源鑫食品有限公司
纳税人识别号：91320500MA1X0000XX
地址电话：苏州市吴中区xx路88号 0512-0000 1122
开户行及账号：中国银行苏州吴中支行 0000 0000 0000

请问还能改吗？大概什么时候能开出来？

周
"""),
dict(n=29, slug="paicuo-le-bu-yao-le", lang="zh", dept="support", faq=["cancel-order"],
     note="GB2312, sent to sales@; ordered the wrong thing, not shipped yet",
     **{"from": ("小鱼", "xiaoyu_0618@mail-qq.example")}, to="sales",
     subject="下错单了", date="Wed, 02 Dec 2026 00:47:19 +0800",
     msgid="tencent_4B1C2D3E4F5A6B7C8D9E0F1A@mail-qq.example", charset="GB2312", cte="base64",
     headers=["X-QQ-MIME: TCMime 1.0 by Tencent", "X-Mailer: QQMail 2.x"],
     body="""
你好，刚才手滑点了两次，买了两个一样的电热水壶，我只要一个。页面上还显示待发货，麻烦把多出来的那单给我弄掉，钱退回来就行。两个订单号是 AC2612020007 和 AC2612020008，随便哪个都可以。

谢谢啦
"""),
dict(n=30, slug="dizhi-tian-cheng-gongsi", lang="zh", dept="support", faq=["change-order-address"],
     note="address filled in as the old office; wants it sent home instead",
     **{"from": ("陈志强", "chenzq@example.cn")}, to="support",
     subject="地址写错了！！", date="Thu, 03 Dec 2026 08:15:44 +0800", msgid="chenzq.1203.0815@example.cn",
     cte="8bit",
     body="""
客服你好

昨晚买的扫地机器人，订单 AC2612020551，刚发现收货地址自动带出来的是我以前公司的地址（浦东张江那边），我上个月已经离职了，东西寄过去就拿不到了。

麻烦帮我改成：上海市闵行区七宝镇xx路99弄12号502，收件人和电话不变。现在好像还没发货。

急，谢谢
"""),
dict(n=31, slug="dianfanguo-tiao-e1", lang="zh", dept="support", faq=["rice-cooker-e1"],
     note="GBK QP; rice cooker shows E1 and beeps, colloquial 电饭锅",
     **{"from": ("王阿姨", "wangayi1962@mail-163.example")}, to="support",
     subject="电饭锅不能用了", date="Fri, 04 Dec 2026 11:03:20 +0800",
     msgid="4c7e2a1b.5d3f.18c2f6a0e11.Coremail.wangayi1962@mail-163.example", charset="GBK",
     cte="quoted-printable", hmode="Q",
     headers=["X-Mailer: Coremail Webmail Server Version XT5.0.13"],
     body="""
你好，我家的电饭锅今天中午淘好米放进去，按了煮饭，滴滴滴叫，屏幕上出来一个E1，饭也不煮。拔了插头在插还是这样。我儿子说是你们家的，买了大半年。是不是坏了，我晚上还要煮饭呢。
"""),
dict(n=32, slug="tw-qingjingji-hongdeng", lang="zh", dept="support", faq=["purifier-filter-light"],
     note="Traditional (Taiwan), Big5 base64; 空氣清淨機 red light still on after a new 濾網",
     **{"from": ("林雅婷", "yating.lin@mail-tw.example")}, to="support",
     subject="清淨機的紅燈一直亮", date="Sat, 05 Dec 2026 14:27:08 +0800",
     msgid="yt.lin.20261205142708@mail-tw.example", charset="Big5", cte="base64",
     body="""
您好：

家裡的空氣清淨機（AP-400）前幾天面板上有一個紅燈亮起來，我查了一下應該是要換濾網，就在網路上買了一片新的換上去，可是紅燈到現在還是一直亮著，不知道是不是還要按什麼地方？

說明書已經找不到了，麻煩告訴我要怎麼處理，謝謝。

雅婷 敬上
台北市大安區
"""),
dict(n=33, slug="tw-ji-dao-taizhong", lang="zh", dept="support", faq=["shipping-hk-macau-taiwan"],
     note="Big5 QP, sent to sales@; delivery to Taichung, fees, whether customs paperwork is needed",
     **{"from": ("張家豪", "chiahao.chang@mail-tw.example")}, to="sales",
     subject="請問寄台中", date="Sun, 06 Dec 2026 21:02:51 +0800",
     msgid="CH.chang.1206.2102@mail-tw.example", charset="Big5", cte="quoted-printable",
     body="""
你好，

我想買你們的掃地機器人寄回台中給我爸媽，想先問一下：寄到台中大概要幾天？運費多少？
之前朋友從對岸買東西，說要下載什麼 app 做認證不然會被海關卡住，還要另外付稅，是真的嗎？

謝謝
家豪
"""),
dict(n=34, slug="hk-saodeiji-m-sik-faan-heoi", lang="zh", dept="support", faq=["vacuum-dock-charging"],
     note="Hong Kong Cantonese, Big5-HKSCS; robot never finds its way back to charge, dock beside a mirror wardrobe",
     **{"from": ("何嘉欣", "kayan.ho@mail-hk.example")}, to="support",
     subject="部掃地機成日唔識返屋企", date="Mon, 30 Nov 2026 22:18:36 +0800",
     msgid="kyho.20261130221836@mail-hk.example", charset="Big5-HKSCS", cte="base64",
     body="""
你好，

我部掃地機買咗三個幾月，之前都冇問題，但係呢兩個禮拜佢掃完之後成日唔識返去個座充電，喺客廳中間冇晒電就停咗喺度，我要自己攞返去。

我上個月搬咗個座去睡房門口，隔籬就係衣櫃塊鏡。係咪部機壞咗？定係我擺得唔啱？

唔該晒
Kayan
"""),
dict(n=35, slug="hk-kettle-news-serial", lang="zh", dept="support", faq=["safety-recall"],
     note="Cantonese UTF-8; saw news about the kettle, reads serial KT17-2604 under the base",
     **{"from": ("梁偉強", "wk.leung@mail-hk.example")}, to="support",
     subject="睇到新聞講你哋個煲水壺", date="Tue, 01 Dec 2026 07:55:10 +0800",
     msgid="wkleung-0755-1201@mail-hk.example", cte="base64",
     body="""
你好，

尋日睇新聞話你哋有隻電熱水壺個底座會過熱，我屋企嗰個都係你哋牌子，反轉個底座睇到個號碼係 KT17-2604-03318。咁我係咪中咗？而家仲用唔用得？屋企有小朋友，有啲擔心。

要點做，我需唔需要寄返成個水壺俾你哋？

梁生
"""),
dict(n=36, slug="hk-daai-luk-maai-cau-sap-gei", lang="zh", dept="sales", faq=["overseas-voltage"],
     note="Cantonese, pre-sale: buying a dehumidifier on the mainland site to use in Hong Kong (plug)",
     **{"from": ("Wong Siu Ming 黃小明", "smwong@mail-hk.example")}, to="sales",
     subject="大陸買嘅抽濕機喺香港用唔用得", date="Wed, 02 Dec 2026 12:31:09 +0800",
     msgid="smwong.3109.1202@mail-hk.example", cte="quoted-printable", hmode="Q",
     body="""
你好，

我下個月返深圳，見大陸官網部抽濕機平過香港好多，想買一部帶返香港屋企用。想問吓大陸版喺香港用唔用得？插蘇係咪唔同？需唔需要買火牛？

唔該
黃生
"""),
dict(n=37, slug="ganxie-anzhuang-shifu", lang="zh", dept="support", faq=[],
     note="thank-you note only; the installer fixed an old leaking tap too",
     **{"from": ("刘女士", "liu.nvshi@example.cn")}, to="support",
     subject="表扬一下你们的师傅", date="Thu, 03 Dec 2026 20:44:27 +0800", msgid="liu.nvshi.1203@example.cn",
     cte="8bit",
     body="""
你们好！

周二来我家装净水器的李师傅真的很好，准时到，活干得干净利落，走的时候把地都拖了。看到我们厨房那个老水龙头有点滴水，顺手帮我们换了个垫片，也没收钱。

现在这样的师傅不多了，特地写邮件表扬一下，希望公司能给他加个鸡腿。

刘女士
"""),
dict(n=38, slug="yingjiesheng-xiaozhao-support", lang="zh", dept="hr", faq=["careers"],
     note="graduating student asks about campus hiring and internships; sent to support@",
     **{"from": ("吴昊然", "wuhaoran2027@mail-edu.example")}, to="support",
     subject="想问一下校招的事情", date="Fri, 04 Dec 2026 16:17:03 +0800",
     msgid="whr2027.1604@mail-edu.example", cte="base64",
     body="""
您好，冒昧打扰。

我是华南理工大学自动化专业大三的学生，对你们的扫地机器人研发很感兴趣。想请问贵公司明年有没有暑期实习？校园招聘一般什么时候开始，简历应该投到哪里？

不知道发到这个邮箱对不对，如果不对麻烦帮忙转一下，谢谢！

吴昊然
"""),
dict(n=39, slug="caijing-jizhe-caifang", lang="zh", dept="pr", faq=[],
     note="journalist's interview request to press@ (already the right address; nothing in the FAQ to link)",
     **{"from": ("《新消费周刊》记者 方琳", "fanglin@xinxiaofei.example")}, to="press",
     subject="采访邀约：小家电出海与渠道变化", date="Mon, 30 Nov 2026 14:05:00 +0800",
     msgid="xxf-fanglin-20261130-1405@xinxiaofei.example", kind="alt", cte="base64",
     body="""
贵公司品牌部负责人您好：

我是《新消费周刊》的记者方琳，正在做一篇关于国产小家电品牌拓展东南亚市场的稿件，注意到贵司今年在新加坡和马来西亚的动作比较多。

想约贵司相关负责人做一个30分钟左右的电话或视频采访，主要聊海外渠道的选择、本地化售后这几个方面。稿件计划12月下旬刊发，采访时间可以在12月10日到15日之间，以贵司方便为准。

期待回复！

方琳
《新消费周刊》产业组
"""),
dict(n=40, slug="xiaohongshu-bozhu-hezuo", lang="zh", dept="pr", faq=["press-contact"],
     note="HTML only, sent to support@; lifestyle creator wants a review unit in exchange for posts",
     **{"from": ("糖糖的小家", "tangtang.home@mail-qq.example")}, to="support",
     subject="博主合作 | 小红书家居博主想测评扫地机", date="Tue, 01 Dec 2026 23:12:45 +0800",
     msgid="tencent_9A8B7C6D5E4F3A2B1C0D@mail-qq.example", kind="html", cte="base64",
     headers=["X-QQ-MIME: TCMime 1.0 by Tencent"],
     body="""
您好～

我是小红书家居博主“糖糖的小家”，目前粉丝 8.6 万，主要分享小户型收纳和家电好物，笔记平均互动 2000+。

最近在做“懒人清洁”系列，很想测评一下你们家的 S8 扫地机器人，可以置换合作（寄样机，我出一篇图文+一条视频），也可以聊报价。不知道应该找哪位对接？

附上主页：xiaohongshu 搜“糖糖的小家”
"""),
dict(n=41, slug="tuikuan-chenggong-meidaozhang-sales", lang="zh", dept="finance", faq=["refund-timing"],
     note="sent to sales@; refund shows completed but not in the bank card; quoted -----原始邮件----- acknowledgement",
     **{"from": ("马晓东", "maxd@mail-163.example")}, to="sales", to_name="Acme 销售",
     subject="回复：[Acme #48530] 我们已收到您的来信", date="Wed, 02 Dec 2026 09:21:33 +0800",
     msgid="3a9b1f2e.62d1.18c300bb7a1.Coremail.maxd@mail-163.example",
     reply_to_id="ack-48530@acme-appliances.example", charset="GBK", cte="base64",
     headers=["X-Mailer: Coremail Webmail Server Version XT5.0.13"],
     body="""
你好，退货的那个空气净化器，App里售后那里已经显示“退款成功”好几天了，可是我招商银行的卡里一直没看到这笔钱，短信也没有。到底退到哪里去了？

客服邮箱回了一次自动回复就没下文了，我在官网上看到这个邮箱就发过来问问，麻烦转给管钱的同事。

马晓东


-----原始邮件-----
发件人："Acme Appliances 客服" <support@acme-appliances.example>
发送时间：2026-11-24 10:05:12 (星期二)
收件人: maxd@mail-163.example
主题: [Acme #48530] 我们已收到您的来信

尊敬的客户：
您好！我们已收到您的来信，工单号 #48530，客服人员会在一个工作日内回复您。
Acme 客户服务中心
"""),
dict(n=42, slug="weixin-kou-le-liang-ci-support", lang="zh", dept="finance", faq=["payment-problems"],
     note="GBK, multipart/mixed with a screenshot (Chinese file name); charged twice by WeChat Pay, order still unpaid; sent to support@",
     **{"from": ("郑凯", "zhengkai_sz@mail-qq.example")}, to="support", to_name="Acme客服", quoted_name=True,
     subject="钱扣了订单还是待付款", date="Thu, 03 Dec 2026 13:44:18 +0800",
     msgid="tencent_1F2E3D4C5B6A79880A1B@mail-qq.example", kind="mixed", charset="GBK", cte="base64",
     headers=["X-QQ-MIME: TCMime 1.0 by Tencent", "X-Mailer: QQMail 2.x"],
     attach=[("image/png", "微信支付记录.png", PNG3)],
     body="""
你好

中午买除湿机，用微信付款，付完页面卡住了，我以为没成功又付了一次。现在微信里扣了两笔 1599，可是订单那里还是显示“待付款”。截图在附件里。

我现在不敢再点了，这个怎么弄，多扣的钱能退吗

郑凯
"""),
dict(n=43, slug="jingshuiqi-neng-fenqi-ma", lang="zh", dept="sales", faq=["payment-methods"],
     note="pre-sale: can the WP-800 be paid in instalments (花呗), can a credit card be used",
     **{"from": ("Luna", "luna.gao@example.cn")}, to="sales",
     subject="想买净水器，问一下付款", date="Fri, 04 Dec 2026 22:58:40 +0800", msgid="luna.gao.2258@example.cn",
     cte="quoted-printable",
     body="""
你好，

看中了你们的 WP-800，刚搬新家一下子花钱的地方太多了，想问下能不能分几个月付？我平时用花呗比较多，信用卡也有一张招行的。分期的话有没有利息？

谢谢
"""),
dict(n=44, slug="chushiji-bu-xiang-yao-quan", lang="zh", dept="support", faq=["returns-7-day", "coupons"],
     note="change of mind on a dehumidifier bought with a 200-yuan coupon; will the coupon come back",
     **{"from": ("钱多多", "qianduoduo@example.cn")}, to="support",
     subject="除湿机想退，券怎么办", date="Sat, 05 Dec 2026 10:36:22 +0800", msgid="qdd-1036-1205@example.cn",
     cte="base64",
     body="""
你好，上周买的除湿机，周三到的，拆开看了看试了一下，家里人觉得太占地方了，想退掉。

下单的时候用了一张满2000减200的券，退了以后这张券还能回来吗？我还打算下个月换个小一点的型号再用。另外退回去的运费要我出吗？
"""),
dict(n=45, slug="huan-le-luyouqi-lian-bu-shang", lang="zh", dept="support", faq=["wifi-app-pairing"],
     note="multipart/alternative; new router (one name for both bands), purifier offline in the app",
     **{"from": ("何俊", "hejun.dev@example.cn")}, to="support",
     subject="换了路由器以后净化器一直离线", date="Sun, 06 Dec 2026 20:11:58 +0800",
     msgid="hejun-1206-2011@example.cn", kind="alt", cte="base64",
     body="""
你好，

家里宽带升级，换了一台新的双频路由器，名字和密码跟原来一样。之后空气净化器在 App 里就一直显示离线，删掉设备重新添加，转了半天圈最后提示“添加失败”，试了五六次都一样。

手机就放在机器旁边，密码肯定没输错。是不是新路由器不兼容？

何俊
"""),
dict(n=46, slug="saodiji-shengji-ka-67", lang="zh", dept="support", faq=["firmware-update"],
     note="robot vacuum update stuck at 67% for an hour; afraid to unplug",
     **{"from": ("宋佳", "songjia@mail-163.example")}, to="support",
     subject="扫地机一直卡在67%", date="Mon, 30 Nov 2026 21:47:06 +0800",
     msgid="5b2c9d1a.1f0e.18c1e9f0b22.Coremail.songjia@mail-163.example", charset="GBK", cte="base64",
     body="""
你好，App 提示扫地机有新版本，我就点了更新，结果进度条到 67% 就不动了，已经一个多小时了，机器上的灯一直在闪。现在不敢拔电也不敢动它，会不会变砖？
"""),
dict(n=47, slug="youmeiyou-xianxia-mendian", lang="zh", dept="sales", faq=[],
     note="pre-sale question the catalog does not cover: is there a physical store in Chengdu to try the robot",
     **{"from": ("杜先生", "du.xs@example.cn")}, to="sales",
     subject="成都有没有实体店", date="Tue, 01 Dec 2026 12:20:31 +0800", msgid="du-xs-1220@example.cn",
     cte="8bit",
     body="""
你好，想买扫地机器人，但是网上看不出来实际效果，想先去店里看看实物、听听声音。请问你们在成都有没有门店或者专柜？在哪个商场？
"""),
dict(n=48, slug="jingshuiqi-dao-le-shenme-shihou-zhuang", lang="zh", dept="support", faq=["installation-booking"],
     note="water purifier delivered; who installs it, quartz worktop needs a hole",
     **{"from": ("黄蕾", "huanglei@example.cn")}, to="support",
     subject="净水器到了，谁来装", date="Wed, 02 Dec 2026 17:09:45 +0800", msgid="hl-wp-1709@example.cn",
     cte="quoted-printable",
     body="""
你好，

净水器今天下午送到了，箱子还没拆。这个是要我们自己装还是你们派人来？我们家台面是石英石的，水龙头要打孔，不知道你们能不能打，要不要另外收钱。周末家里有人。

黄蕾
"""),
dict(n=49, slug="neidan-tuceng-diao-le", lang="zh", dept="support", faq=["warranty-policy", "filters-spare-parts"],
     note="inner pot coating peeling after two years: is it still covered, where to buy a new pot",
     **{"from": ("罗建国", "luojg@mail-163.example")}, to="support",
     subject="电饭煲锅里面掉皮", date="Thu, 03 Dec 2026 19:30:00 +0800",
     msgid="7e1d2c3b.4a5f.18c34c2a001.Coremail.luojg@mail-163.example", charset="GBK", cte="quoted-printable",
     body="""
你好，

我们家电饭煲是前年双十一买的，最近发现锅里面那层黑色的东西一块一块掉，煮出来的饭里都有黑点，不敢吃了。锅我们一直是用塑料勺子的，没用铁勺刮过。

这个锅当时是我女儿在网上帮我们挑的，说你们家的锅好，煮饭确实香，外面的机器也还好好的，按键灯都正常，就是这个锅里面不行了。我们老两口天天要用的，现在只好先用蒸锅蒸饭。

这个还管不管？如果不管的话，能不能单独买一个锅，不想整个换掉。

罗
"""),
dict(n=50, slug="zidong-huifu-xiujia", lang="zh", dept="support", faq=[],
     note="auto-reply without Auto-Submitted header (subject and body only); replies to our acknowledgement",
     **{"from": ("冯静", "fengjing@zhongke-lab.example")}, to="support",
     subject="自动回复: [Acme #48990] 我们已收到您的来信", date="Fri, 04 Dec 2026 18:00:03 +0800",
     msgid="autoreply.fengjing.1204@zhongke-lab.example", reply_to_id="ack-48990@acme-appliances.example",
     cte="base64",
     body="""
您好，我于12月4日至12月13日休假，期间不能及时查看邮件。如有急事请致电 010-0000 2233 联系王老师。谢谢！

冯静
"""),
dict(n=51, slug="mixed-ap400-filter-original", lang="mixed", dept="support", faq=["filters-spare-parts"],
     note="Chinese with English terms; owner wants genuine replacement filters and an automatic reorder",
     **{"from": ("Jenny 周", "jenny.zhou@example.com")}, to="support",
     subject="AP-400 filter 在哪买 original 的", date="Sat, 05 Dec 2026 16:40:51 +0800",
     msgid="jz-ap400-1640@example.com", cte="quoted-printable",
     body="""
Hi,

我家 AP-400 用了快一年了，filter 应该要换了。淘宝上有很多便宜的 compatible 版本，但是不太放心，想买 original 的。请问在哪里可以买到？型号要怎么看？

另外有没有那种 subscription，到时间自动寄给我的？每次都忘记换。

Thanks,
Jenny
"""),
dict(n=52, slug="mixed-manual-lost-dehumidifier", lang="mixed", dept="support", faq=["manuals-download"],
     note="lost the paper manual, wants an electronic copy to set the target humidity",
     **{"from": ("Kelvin 謝", "kelvin.tse@mail-hk.example")}, to="support",
     subject="Manual 唔見咗", date="Sun, 06 Dec 2026 11:25:37 +0800", msgid="kelvin.tse.1125@mail-hk.example",
     cte="base64",
     body="""
Hi，

搬屋嘅時候部抽濕機嘅 manual 唔知掉咗去邊，而家想 set 返個 humidity 去 55% 都唔識。有冇 PDF version 可以 download？部機底下寫住 DH-20。

Thx
Kelvin
"""),
dict(n=53, slug="mixed-hk-company-claim-receipt", lang="mixed", dept="finance", faq=["invoice-request"],
     note="HTML only; Cantonese/English, needs an invoice with the company name for a claim, asks where to download it",
     **{"from": ("Charlotte Yip", "charlotte.yip@example.com.hk")}, to="billing",
     subject="張 invoice 點 download?", date="Mon, 30 Nov 2026 15:02:44 +0800",
     msgid="BN8PR.cyip.1502@example.com.hk", kind="html", cte="quoted-printable",
     headers=["X-Mailer: Microsoft Outlook 16.0"],
     body="""
Hi team,

我哋 office 喺你哋官網買咗兩部 air purifier，order 係 AC2611220945，公司 claim 錢要張正式嘅 invoice，抬頭要寫公司名 (Harbour Light Consulting Ltd)。

Order confirmation 冇 invoice，我喺 account 入面又搵唔到，請問喺邊度 download？定係你哋 email 俾我？

Thanks a lot,
Charlotte
"""),
dict(n=54, slug="mixed-return-robot-refund-credit-card", lang="mixed", dept="support", faq=["returns-7-day", "refund-timing"],
     note="Cantonese/English; wants to return a robot bought five days ago and asks how long the credit-card refund takes",
     **{"from": ("Eric Chan", "ericchan88@mail-hk.example")}, to="support",
     subject="想 return 部 robot", date="Tue, 01 Dec 2026 21:33:19 +0800", msgid="ec88.return.2133@mail-hk.example",
     cte="8bit",
     body="""
Hello,

上個禮拜五收到部 robot vacuum，用咗幾次覺得我屋企太多地拖同電線，佢成日食埋啲線，唔啱用。想 return，box 同 accessories 都仲喺度。

我用 credit card 俾錢嘅，如果 return 咗幾耐先 refund 返入張卡？下個月要找數，想知大概時間。

Eric
"""),
dict(n=55, slug="mixed-sf-tracking-stuck-billing", lang="mixed", dept="support", faq=["order-tracking"],
     note="reply to the payment receipt from billing@; SF tracking stuck at a transfer centre; Outlook-style quoted header block",
     **{"from": ("Vincent 李", "vincent.li@example.com")}, to="billing",
     subject="RE: Payment received for order AC2611290310", date="Wed, 02 Dec 2026 10:44:02 +0800",
     msgid="SG2PR06.vli.1044@example.com", reply_to_id="receipt-AC2611290310@acme-appliances.example",
     cte="quoted-printable", headers=["X-Mailer: Microsoft Outlook 16.0", "Thread-Topic: order AC2611290310"],
     body="""
Hi,

我的 order AC2611290310 已经三天没有 update 了，SF 的 tracking 一直停在“深圳转运中心 已发出”，打顺丰电话也说不清楚。东西是给老人买的 kettle，急用。麻烦 check 一下到底在哪里？

Vincent

From: Acme Appliances <billing@acme-appliances.example>
Sent: Sunday, November 29, 2026 9:12 AM
To: Vincent Li <vincent.li@example.com>
Subject: Payment received for order AC2611290310

Dear customer,
We have received your payment of CNY 399.00 for order AC2611290310. Thank you for shopping with Acme Appliances.
Acme Appliances Billing
"""),
dict(n=56, slug="mixed-kettle-10-days-dead", lang="mixed", dept="support", faq=["exchanges", "kettle-not-heating"],
     note="kettle dead ten days after delivery, wants a new one rather than a repair",
     **{"from": ("Amy 吴", "amy.wu@example.net")}, to="support",
     subject="kettle 才用了 10 天就坏了", date="Thu, 03 Dec 2026 07:20:15 +0800", msgid="amywu-kettle-0720@example.net",
     cte="base64",
     body="""
Hello，

11月23号收到的 kettle，今天早上插上底座完全没反应，按键不亮，水也不热。换了插座也一样。才用了 10 天，我不想修，想直接换一个新的，可以吗？需要我拍 video 吗？App 里 after-sales 那里我没找到 exchange 的 button。

Amy
"""),
dict(n=57, slug="mixed-annual-party-gifts-support", lang="mixed", dept="sales", faq=["corporate-bulk-purchase"],
     note="multipart/alternative, sent to support@; 80 kettles as company party gifts, asks for a quotation",
     **{"from": ("HR 陈Ivy", "ivy.chen@lianfeng-logistics.example")}, to="support",
     subject="年会礼品 quotation", date="Fri, 04 Dec 2026 14:14:14 +0800",
     msgid="LF-HR-ivy-1414@lianfeng-logistics.example", kind="alt", cte="quoted-printable",
     headers=["X-Mailer: Microsoft Outlook 16.0"],
     body="""
Hi there,

我们公司1月份年会，想买 80 个 smart kettle 做员工礼品，送到上海徐汇区。想请你们出一个 quotation，量大的话有没有 discount？需要跟你们签 contract 吗，我们 finance 要走对公转账。

Best regards,
Ivy Chen 陈
HR Department, Lianfeng Logistics
"""),
dict(n=58, slug="mixed-ap400-sleep-db", lang="mixed", dept="sales", faq=["energy-noise-specs"],
     note="pre-sale; light sleeper asks the real noise in sleep mode and the power draw overnight",
     **{"from": ("Yuki 孙", "yuki.sun@example.com")}, to="sales",
     subject="AP-400 sleep mode 到底多少 dB", date="Sat, 05 Dec 2026 01:12:40 +0800", msgid="ys-ap400-0112@example.com",
     cte="8bit",
     body="""
你好，我睡眠很浅，一点点 noise 就睡不着。想买 AP-400 放卧室，开 sleep mode 的话大概多少 dB？整晚开着 power consumption 大概多少 W？网上评论有人说有"嗡嗡"声，有点犹豫。
"""),
dict(n=59, slug="mixed-robotics-club-sponsorship-sales", lang="mixed", dept="pr", faq=[],
     note="university robotics club asks for sponsorship; sent to sales@",
     **{"from": ("浙大 RoboMaster 战队 Leo", "leo.xu@mail-edu.example")}, to="sales",
     subject="Sponsorship request - 浙大机器人战队", date="Sun, 06 Dec 2026 17:30:22 +0800",
     msgid="robomaster.zju.leo.1730@mail-edu.example", cte="quoted-printable", kind="mixed",
     attach=[("application/pdf", "RoboMaster_sponsorship_2027.pdf", pdf("ZJU RoboMaster sponsorship deck"))],
     body="""
您好！

我们是浙江大学 RoboMaster 机器人战队，明年 5 月要参加全国赛。团队里不少人平时就用你们的扫地机器人做 SLAM 的 reference，很喜欢你们的产品。

想问问贵公司有没有兴趣 sponsor 我们：可以是资金，也可以是零部件或者产品。作为回报，我们可以在机器人、队服和比赛直播里放 Acme 的 logo，也可以在校园里办一次 tech talk。

附件里有我们的 sponsorship deck，期待回复～

Leo Xu
"""),
dict(n=60, slug="mixed-urumqi-how-many-days", lang="mixed", dept="support", faq=["shipping-delivery-times"],
     note="pre-sale delivery question for Urumqi; big dehumidifier, free shipping or not",
     **{"from": ("Alex 马", "alex.ma@example.cn")}, to="support",
     subject="寄到 Urumqi 要几天", date="Mon, 30 Nov 2026 18:18:18 +0800", msgid="alexma-xj-1818@example.cn",
     cte="base64",
     body="""
Hi，

我在乌鲁木齐，想买一台 dehumidifier，请问寄过来大概要几天？这么大的东西要不要另外付 shipping fee？之前买别家的到新疆都要加钱，还要自己去 logistics 点 pick up。

Alex
"""),
]


# --- labels, README counts, check ----------------------------------------------------------

def fname(m):
    return "%03d-%s.eml" % (m["n"], m["slug"])


def yq(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def labels_yaml():
    out = ["# Labels for the dev (tuning) mail set: one entry per .eml in this directory.",
           "# Generated by make.py; edit the MAILS list there, not this file.",
           "# lang: en | zh | mixed   department: support | sales | finance | hr | pr",
           "# faq: ids from ../../../shared/eval/faq.yaml that answer the mail ([] when none does)",
           ""]
    for m in MAILS:
        out.append("- file: %s" % fname(m))
        out.append("  lang: %s" % m["lang"])
        out.append("  department: %s" % m["dept"])
        out.append("  faq: [%s]" % ", ".join(m["faq"]))
        out.append("  note: %s" % yq(m["note"]))
    return ("\n".join(out) + "\n").encode()


def to_dept(m):
    return DEPT_OF[m["to"].split("@")[0]]


def counts():
    def tally(key):
        d = {}
        for m in MAILS:
            d[key(m)] = d.get(key(m), 0) + 1
        return d
    lang = tally(lambda m: m["lang"])
    dept = tally(lambda m: m["dept"])
    nolink = sum(1 for m in MAILS if not m["faq"])
    wrong = sum(1 for m in MAILS if to_dept(m) != m["dept"])
    multi = sum(1 for m in MAILS if len(m["faq"]) > 1)
    ids = sorted({i for m in MAILS for i in m["faq"]})
    lines = ["- mails: %d" % len(MAILS),
             "- per language: " + ", ".join("%s %d" % (k, lang.get(k, 0)) for k in ("en", "zh", "mixed")),
             "- per department: " + ", ".join("%s %d" % (k, dept.get(k, 0))
                                              for k in ("support", "sales", "finance", "hr", "pr")),
             "- no link (`faq: []`): %d" % nolink,
             "- sent to the wrong address (To: department differs from the label): %d" % wrong,
             "- with two or three answering entries: %d" % multi,
             "- distinct FAQ ids used: %d of %d" % (len(ids), len(faq_ids()))]
    return "\n".join(lines) + "\n"


def faq_ids():
    ids = []
    with open(FAQ, encoding="utf-8") as f:
        for line in f:
            mm = re.match(r"^- id: (\S+)\s*$", line)
            if mm:
                ids.append(mm.group(1))
    return ids


BEGIN, END = "<!-- counts: written by make.py -->\n", "<!-- end counts -->\n"


def readme_with_counts(text):
    i, j = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:i] + counts() + text[j:]


def outputs():
    files = {fname(m): build(m) for m in MAILS}
    files["labels.yaml"] = labels_yaml()
    return files


def check():
    errs = []
    ids = set(faq_ids())
    if len(ids) != 41:
        errs.append("faq.yaml: %d ids, want 41" % len(ids))
    files = outputs()
    # Files on disk are exactly what the generator writes, and nothing else is there.
    on_disk = {f for f in os.listdir(HERE) if f.endswith(".eml")}
    want = {f for f in files if f.endswith(".eml")}
    for f in sorted(on_disk ^ want):
        errs.append("%s: on disk but not generated, or generated but missing" % f)
    for f, data in files.items():
        p = os.path.join(HERE, f)
        if os.path.exists(p) and open(p, "rb").read() != data:
            errs.append("%s: differs from what make.py generates (run make.py)" % f)
    # Labels: parse labels.yaml as YAML when PyYAML is there, and compare with MAILS.
    try:
        import yaml
        labels = yaml.safe_load(open(os.path.join(HERE, "labels.yaml"), encoding="utf-8"))
    except ImportError:
        labels = None
    if labels is not None:
        if [l["file"] for l in labels] != [fname(m) for m in MAILS]:
            errs.append("labels.yaml: file list does not match the .eml files")
        for l in labels:
            if set(l) - {"file", "lang", "department", "faq", "note"}:
                errs.append("%s: unknown label keys %s" % (l["file"], set(l)))
            if not os.path.exists(os.path.join(HERE, l["file"])):
                errs.append("%s: labelled file does not exist" % l["file"])
            if l["lang"] not in ("en", "zh", "mixed"):
                errs.append("%s: lang %r" % (l["file"], l["lang"]))
            if l["department"] not in ("support", "sales", "finance", "hr", "pr"):
                errs.append("%s: department %r" % (l["file"], l["department"]))
            faq = l["faq"] or []
            if len(faq) > 3 or len(set(faq)) != len(faq):
                errs.append("%s: faq must hold 0-3 distinct ids" % l["file"])
            for i in faq:
                if i not in ids:
                    errs.append("%s: unknown faq id %s" % (l["file"], i))
    nums = [m["n"] for m in MAILS]
    if nums != list(range(1, len(MAILS) + 1)):
        errs.append("mail numbers are not 1..%d in order" % len(MAILS))
    for m in MAILS:
        f = fname(m)
        raw = files[f]
        if re.search(rb"(?<!\r)\n", raw) or re.search(rb"\r(?!\n)", raw):
            errs.append("%s: bare LF or CR (want CRLF line endings)" % f)
        head = raw.split(b"\r\n\r\n", 1)[0]
        if any(x > 127 for x in head):
            errs.append("%s: 8-bit bytes in the header" % f)
        if any(len(l) > 998 for l in raw.split(b"\r\n")):
            errs.append("%s: line longer than 998 octets" % f)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        for part in msg.walk():
            if part.defects:
                errs.append("%s: parse defects %s" % (f, part.defects))
        for h in ("From", "To", "Subject", "Date", "Message-ID"):
            if msg[h] is None:
                errs.append("%s: no %s header" % (f, h))
        try:
            msg["From"].addresses, msg["To"].addresses, msg["Date"].datetime
        except Exception as e:  # noqa: BLE001 - any failure is the finding
            errs.append("%s: header does not parse: %s" % (f, e))
        if str(msg["Subject"]) != m["subject"]:
            errs.append("%s: subject decodes to %r" % (f, str(msg["Subject"])))
        if m["from"][0] and msg["From"].addresses[0].display_name != m["from"][0]:
            errs.append("%s: display name decodes to %r" % (f, msg["From"].addresses[0].display_name))
        if msg["To"].addresses[0].display_name != m.get("to_name", ""):
            errs.append("%s: To display name decodes to %r" % (f, msg["To"].addresses[0].display_name))
        if msg["To"].addresses[0].addr_spec != m["to"] + "@" + DOMAIN:
            errs.append("%s: To address %s" % (f, msg["To"].addresses[0].addr_spec))
        body = msg.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body is not None else ""
        want_text = m["body"].lstrip("\n")
        if body.get_content_subtype() == "plain" and text.replace("\r\n", "\n") != want_text:
            errs.append("%s: text part does not decode to the body" % f)
        if body.get_content_subtype() == "html" and want_text.split("\n")[0].strip() not in text:
            errs.append("%s: html part does not hold the body" % f)
        cjk = len(re.findall(r"[\u3400-\u9fff]", m["body"]))
        latin = len(re.findall(r"[A-Za-z]{3,}", m["body"]))
        if m["lang"] == "en" and cjk:
            errs.append("%s: lang en with Chinese characters" % f)
        if m["lang"] == "zh" and (cjk < 30 or latin * 8 > cjk):
            errs.append("%s: lang zh but %d CJK chars, %d Latin words" % (f, cjk, latin))
        if m["lang"] == "mixed" and (cjk < 20 or latin < 5):
            errs.append("%s: lang mixed but %d CJK chars, %d Latin words" % (f, cjk, latin))
        if msg["Auto-Submitted"] is not None and m["faq"]:
            errs.append("%s: auto-submitted mail with FAQ links" % f)
        for part in msg.iter_attachments():
            data = part.get_content()
            if part.get_content_type() == "image/png" and not data.startswith(b"\x89PNG\r\n\x1a\n"):
                errs.append("%s: PNG attachment is not a PNG" % f)
            if part.get_content_type() == "application/pdf" and not data.startswith(b"%PDF-"):
                errs.append("%s: PDF attachment is not a PDF" % f)
            if not part.get_filename():
                errs.append("%s: attachment without a file name" % f)
    readme = open(os.path.join(HERE, "README.md"), encoding="utf-8").read()
    if readme_with_counts(readme) != readme:
        errs.append("README.md: composition counts are stale (run make.py)")
    for e in errs:
        print(e, file=sys.stderr)
    print(counts(), end="")
    print("check: %d mails, %d problems" % (len(MAILS), len(errs)))
    return 1 if errs else 0


def main():
    if sys.argv[1:] == ["--check"]:
        sys.exit(check())
    if sys.argv[1:]:
        sys.exit("usage: make.py [--check]")
    for f in os.listdir(HERE):
        if f.endswith(".eml"):
            os.remove(os.path.join(HERE, f))
    for f, data in outputs().items():
        with open(os.path.join(HERE, f), "wb") as fh:
            fh.write(data)
    p = os.path.join(HERE, "README.md")
    text = open(p, encoding="utf-8").read()
    with open(p, "w", encoding="utf-8") as fh:
        fh.write(readme_with_counts(text))


# --- for the later sets (eval/dev2, dev3, dev4), which load this file as a module ------------

# The later sets' acknowledgement texts (the ticket line their quoted
# replies carry) and their quoting; eval/dev2 to eval/dev5 share them.
ACK_EN = """Thank you for writing to Acme Appliances customer care. Your message is now ticket
{t} and one of our team will answer within one working day. You may find the
answer sooner in the articles below.
"""
ACK_ZH = """您好，Acme 客服中心已收到您的邮件，工单号 {t}。我们会在一个工作日内回复您，
下面的帮助文章或许能更快解决您的问题。
"""


def quote(text):
    return "".join(("> " + l).rstrip() + "\n" for l in text.splitlines())


def point_at(here, mails, name):
    """Point this module's builder, labels, counts and check at another set's directory and
    mails; its labels.yaml says which set it is (name: "dev2 (tuning and starter)")."""
    global HERE, MAILS, labels_yaml
    base = labels_yaml
    head = b"# Labels for the dev (tuning) mail set: one entry per .eml in this directory.\n"

    def relabelled():
        out = base()
        assert out.startswith(head)
        return ("# Labels for the %s mail set: one entry per .eml in this directory.\n" % name).encode() \
            + out[len(head):]

    HERE, MAILS, labels_yaml = here, mails, relabelled


def shingles(text):
    """Runs of 7 words (Latin) and of 10 characters (Chinese) in text, lower-cased."""
    out = set()
    words = re.findall(r"[a-z0-9']+", text.lower())
    out.update(" ".join(words[i:i + 7]) for i in range(len(words) - 6))
    for run in re.findall(r"[\u3400-\u9fff]{10,}", text):
        out.update(run[i:i + 10] for i in range(len(run) - 9))
    return out


def wording_problems(sources, own):
    """The mails of MAILS that copy a run of words (shingles) from one of sources, (name, text)
    pairs; the runs of own (our quoted acknowledgements) are exempt."""
    seen = {}
    for src, text in sources:
        for s in shingles(text):
            seen.setdefault(s, src)
    errs = []
    for m in MAILS:
        hits = sorted(s for s in shingles(m["body"]) - own if s in seen)
        if hits:
            errs.append("%s: shares %r with %s" % (fname(m), hits[0], seen[hits[0]]))
    return errs


def main_with_wording(wording):
    """main, whose --check also runs wording() (a list of problems)."""
    if sys.argv[1:] == ["--check"]:
        errs = wording()
        for e in errs:
            print(e, file=sys.stderr)
        rc = check()
        if errs:
            print("wording: %d problems" % len(errs))
        sys.exit(rc or (1 if errs else 0))
    main()


if __name__ == "__main__":
    main()
