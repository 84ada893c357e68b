#!/usr/bin/env python3
"""Generate the eval/dev3 mail set: NNN-slug.eml files and labels.yaml.

    python3 eval/dev3/make.py          # (re)write the .eml files, labels.yaml and the counts in README.md
    python3 eval/dev3/make.py --check  # verify the files on disk, the labels, the counts and the wording

Written by the Frontdesk project, session 16, from ../../../shared/eval/faq.yaml and the
routing policy in ../shared/eval/README.md only, blind to public-b, to the public/ mails, to
the eval/dev and eval/dev2 mails (only their READMEs and make.py mechanics were read) and to
the Go code. The encoding, building, labelling and checking code is eval/dev/make.py's, loaded
as a module and pointed at this directory and this MAILS list; this file adds the mails and a
wording check (no long run of words shared with the catalog, eval/dev or eval/dev2).
Output is deterministic: running it twice gives the same bytes.
"""
import datetime
import email.utils
import importlib.util
import os
import re
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


dev = _load("devmake", os.path.join(HERE, "..", "dev", "make.py"))
DEV_MAILS = list(dev.MAILS)  # eval/dev's mails, kept only for the wording check
DEV2_MAILS = None            # eval/dev2's, loaded only by the wording check

png, pdf = dev.png, dev.pdf
PNG1 = png(20, 14, 11)
PNG2 = png(26, 18, 203)
PNG3 = png(14, 22, 59)

ACK_EN, ACK_ZH, quote = dev.ACK_EN, dev.ACK_ZH, dev.quote


def M(n, slug, lang, dept, faq, note, frm, to, subject, body, **kw):
    """One mail: its label and what it looks like. Date and Message-ID are derived from n
    unless given; the body charset and transfer encoding default by language."""
    tz = datetime.timezone(datetime.timedelta(hours=(0, 8, -5)[n % 3] if lang == "en" else 8))
    when = datetime.datetime(2026, 11, 1 + (n * 9) % 28, 7 + (n * 3) % 15, (n * 17) % 60, (n * 31) % 60, tzinfo=tz)
    dom = frm[1].split("@")[1]
    m = dict(n=n, slug=slug, lang=lang, dept=dept, faq=faq, note=note, to=to, subject=subject, body=body,
             date=email.utils.format_datetime(when), msgid="%08x.d3%03d@%s" % (zlib.crc32(slug.encode()), n, dom))
    m["from"] = frm
    if dev.is_ascii(body) and "charset" not in kw:
        m["charset"], m["cte"] = "US-ASCII", "7bit"
    else:
        m["cte"] = ("quoted-printable", "base64", "8bit")[n % 3]
    m.update(kw)
    return m

MAILS = [
# --- English -----------------------------------------------------------------------------
M(1, "v5-dies-in-hallway", "en", "support", ["vacuum-dock-charging"],
  "model code only (V5); the dock was moved beside glass patio doors and the robot no longer finds it",
  ("Oliver Brandt", "obrandt@example.co.uk"), "support", "V5 wandering about then dying",
  """
Hi there,

Since we rearranged the lounge a fortnight ago the V5 finishes its run and then just
drives in circles round the sofa until the battery goes flat. This morning I found it
dead in the hallway again. The base is now next to the patio doors (full height glass)
because that's the only free plug, and the green light on it is on, so it's getting power.

It used to go home every time without fuss. Is it the new spot or has something packed up?

Cheers,
Oliver
"""),
M(2, "purifier-returned-card-refund-sales", "en", "finance", ["refund-timing"],
  "sent to sales@; a returned purifier, money not yet back on the credit card: refund status",
  ("Grace Adeyemi", "grace.adeyemi@example.com"), "sales", "Money for the air purifier I sent back",
  """
Hello,

I sent the AP-600 back on the 3rd (didn’t fit the space – my mistake) and the courier
tracking shows your warehouse signed for it last Monday. I paid with my Visa credit card.
Nothing has come back onto the card so far and the statement closes next week.

Could someone tell me where this is up to? Order ref AC2610314472.

Grace Adeyemi
""", kind="alt"),
M(3, "ap600-ozone-cats-presale-support", "en", "sales", [],
  "sent to support@; pre-sale question on ozone, ionizer and pets that the catalog does not answer",
  ("Ingrid Solberg", "ingrid.solberg@example.no"), "support", "question before I buy",
  """
Hello,

I am thinking about buying the bigger air cleaner (600?) for our flat, we have two cats
and one of them has asthma so the vet said to get one. Before I order I need to know two
things: does it have an ionizer or make any ozone at all, and can I turn that part off?
I read that ozone is bad for cats' lungs.

Also is the outer casing easy to wipe, as they will definitely sit on it.

Best regards
Ingrid
"""),
M(4, "reply-pairing-worked", "en", "support", [],
  "reply quoting our acknowledgement: the problem is fixed, nothing left to answer",
  ("Ben Kowalski", "ben.kowalski@example.net"), "support", "Re: [FD-2611-2213] kettle wont connect to app",
  """
ok got it, that worked. Turned off the 5g on the router like the article said and the
kettle popped up in the app straight away. Thanks

Ben

On Mon, 9 Nov 2026 at 08:41, Acme Customer Care <support@acme-appliances.example> wrote:
""" + quote(ACK_EN.format(t="FD-2611-2213")), reply_to_id="ack-2213@acme-appliances.example"),
M(5, "ooo-auto-submitted", "en", "support", [],
  "out-of-office auto-reply with Auto-Submitted",
  ("Rachel Moreau", "r.moreau@example-logistics.com"), "support", "Out of Office: Re: your order AC2611020931",
  """
Thank you for your message. I'm away until Monday 30 November and will only be checking
email occasionally. Your message will not be forwarded.

For shipping matters please write to dispatch@example-logistics.com.

Rachel Moreau | Procurement
""", headers=["Auto-Submitted: auto-replied", "Precedence: auto_reply"],
  reply_to_id="ack-2241@acme-appliances.example"),
M(6, "helpdesk-autoack-no-header", "en", "support", [],
  "another company's helpdesk acknowledging our mail, no Auto-Submitted header; nothing to answer",
  ("Northfield Property Services", "helpdesk@example-northfield.com"), "support",
  "[Case #448120] We have received your request",
  """
This is an automated response. Please do not reply to this email.

Your request has been logged with Northfield Property Services as case #448120.
A member of our facilities team will review it within 3 business days. To add
information to this case, reply keeping the case number in the subject line.

Northfield Property Services - Facilities Helpdesk
"""),
M(7, "cycling-club-sponsor-sales", "en", "pr", [],
  "sent to sales@; a sponsorship ask, nothing in the catalog handles it",
  ("Tom Hargreaves", "secretary@example-wheelers.org"), "sales", "Kit sponsorship for 2027 season?",
  """
Hi Acme team,

I'm the secretary of Riverside Wheelers, an amateur cycling club of about 120 riders
based in Suzhou Industrial Park (a lot of us are expats). We're looking for a sponsor for
next season's jerseys: your logo on the chest and back, a mention on our socials and at
our two charity rides. In return we'd ask for a contribution towards the kit costs.

Happy to send our deck and last year's photos if you're interested.

Tom Hargreaves
Club Secretary, Riverside Wheelers
"""),
M(8, "warehouse-job-sent-to-support", "en", "hr", ["careers"],
  "sent to support@; asks whether there are jobs and how to apply: the careers entry answers",
  ("Jamal Idris", "jamal.idris@example.com"), "support", "Any work at your Wuxi warehouse?",
  """
Good morning,

I drive past your distribution centre in Wuxi every day and wanted to ask if you are
hiring. I have four years of forklift and stock control experience and speak English and
basic Mandarin. Who should I send my CV to, or is there a form somewhere?

Thank you,
Jamal Idris
"""),
M(9, "got-ap400-ordered-ap600", "en", "support", ["exchanges"],
  "the wrong model arrived (smaller purifier instead of the one ordered); wants the right one",
  ("Sophie Lambert", "sophie.lambert@example.fr"), "support", "wrong size came",
  """
Hello,

The box that arrived on Thursday says AP-400 but my order (AC2611155820) was for the
AP-600, I checked the confirmation email twice. I paid for the larger one because the
living room is nearly 45 m². I haven't plugged it in. Can you send the one I actually
ordered and take this back?

Thanks,
Sophie
""", kind="mixed", attach=[("image/png", "box-label.png", PNG1)]),
M(10, "dehumidifier-cold-air-two-years", "en", "support",
  ["dehumidifier-no-water", "warranty-policy", "repair-booking"],
  "two-year-old dehumidifier blowing cold air: the symptom entry says book a repair, the compressor has 3 years, and how to book",
  ("Hamish Doyle", "hdoyle@example.ie"), "support", "dehumidifier blowing cold, not drying",
  """
Hi,

Our dehumidifier is a bit over two years old (bought Sept 2024 – order number somewhere in
my account). For the last week the fan runs but the air coming out is cold, not warm like
it used to be, and the bucket stays empty even though the bedroom windows are running with
condensation. There's a clicking sound every few minutes and then it goes quiet.

Is this still under guarantee? If so, how do I get someone to look at it - it's far too
heavy for me to carry to a post office.

Hamish Doyle
"""),
M(11, "accountant-needs-special-invoice-support", "en", "finance", ["invoice-vat-special"],
  "sent to support@; a company accountant needs the deductible special invoice with bank details",
  ("Linda Zhou", "linda.zhou@example-design.cn"), "support", "Invoice for order AC2611087713",
  """
Dear Sir/Madam,

I work in accounts at Brightline Design (Shanghai) Co., Ltd. Our office manager bought
three air purifiers from your store on 8 November under order AC2611087713. We are a
general taxpayer and need an invoice that we can use for input tax deduction, not the
ordinary one.

Our company details:
Name: Brightline Design (Shanghai) Co., Ltd.
Taxpayer ID: 91310115MA1H7XXXXX
Address/phone: Room 1203, 88 Pudong Ave, Shanghai / 021-5088XXXX
Bank: Bank of Shanghai Lujiazui Branch, account 31600703000XXXXXX

Please advise what else you need.

Kind regards,
Linda Zhou
Accounts Payable

CONFIDENTIAL: this message may contain privileged information. If it reached you by
mistake, kindly tell the sender and erase all copies.
"""),
M(12, "coworking-40-purifiers-support", "en", "sales", ["corporate-bulk-purchase"],
  "forty units for a co-working operator: a quote for a bulk purchase",
  ("Marco Bellini", "marco@example-hive.cn"), "sales", "Pricing for 40 units",
  """
Hi,

We run three co-working spaces in Shenzhen (Nanshan and Futian) and after the last smog
season our members keep asking for cleaner air in the meeting rooms. We'd like around 40
of your air purifiers, probably a mix of the two sizes, delivered to two addresses.

What sort of price can you do for that many, and do you need anything from us to prepare
a proper offer? We'd pay by company transfer.

Marco Bellini
Operations Manager, Hive Spaces
"""),
M(13, "auckland-delivery-before-ordering-sales", "en", "support", ["shipping-international"],
  "sent to sales@; asks before buying whether we deliver to New Zealand and what it costs on arrival",
  ("Aroha Tane", "aroha.tane@example.co.nz"), "sales", "Do you send to NZ",
  """
Kia ora,

My sister in Hangzhou has one of your rice cookers and I'd love the same one here in
Auckland. Does your overseas shop send to New Zealand, and will I get stung with extra
charges when it lands? Roughly how many days would it take?

Nga mihi,
Aroha
"""),
M(14, "kettle-lost-after-new-router", "en", "support", ["wifi-app-pairing"],
  "appliance dropped off the app after a router change; re-adding fails",
  ("Chris Evans", "cevans77@example.com"), "support", "Kettle offline since new internet",
  """
Hello

We changed broadband provider on Saturday and since then the kettle shows "offline" in the
Acme Home app. I deleted it and tried to add it again but it gets to about 90% and then
says failed. The new router is one of those mesh ones with a single network name. The
kettle itself still boils fine if you press the button.

Any ideas? It's more my wife who uses the schedule thing in the morning.

Chris
"""),
M(15, "app-update-rant", "en", "support", [],
  "a rant about the app redesign with no question in it",
  ("Derek Blake", "derekb@example.net"), "support", "your new app",
  """
Whoever signed off the latest version of your app should have a long hard think.
Three taps to turn on a purifier that used to take one, a banner flogging filters every
single time I open it, and the dark mode is gone. I didn't pay good money for a machine to
be advertised at in my own house.

That's all. I just wanted someone there to know.

D. Blake
"""),
M(16, "s8-useless-on-rugs-want-money-back", "en", "support", ["returns-7-day", "refund-timing"],
  "complaint that ends in a refund demand 4 days after delivery: change-of-mind return and when the money comes",
  ("Natalie Foster", "nat.foster@example.com"), "support", "Very disappointed with the S8",
  """
Honestly I’m really let down. The S8 arrived on Friday and it's hopeless on our rugs - it
climbs halfway onto the thick one in the bedroom, spins, and gives up, and the mop bit
leaves damp patches on the wool one in the hall. For the price I expected it to cope with
a normal family home. The reviews made it sound like it could do anything.

I want my money back. I still have the box and everything that came with it. How do I
send it back and how long before I see the refund? I paid with Alipay.

Natalie Foster
"""),
M(17, "other-brand-coffee-machine", "en", "support", [],
  "about another maker's product bought from another shop; nothing we can answer",
  ("Paul Whitaker", "paul.whitaker@example.com"), "support", "Coffee machine descaling light",
  """
Hi,

My Nordhaus Barista³ coffee machine has had the descale light flashing for a week even
though I've run the descaling cycle twice with the tablets that came with it. I bought it
from the same department store as my Acme kettle so I assumed you were the same company -
the leaflet in the box had your address on a sticker.

How do I get the light to go off?

Paul
"""),
M(18, "never-mind-e1-was-rice", "en", "support", [],
  "follow-up: the customer solved the rice cooker fault themselves",
  ("Amy Tran", "amy.tran@example.com.au"), "support", "Re: [FD-2611-2290] rice cooker beeping E1",
  """
Please ignore my earlier email! Found a couple of grains of rice stuck on the hot plate
under the bowl, wiped it off and it's cooking perfectly now. Sorry for the bother.

Amy

From: Acme Customer Care <support@acme-appliances.example>
Sent: Sunday, 22 November 2026 7:02 PM
To: Amy Tran <amy.tran@example.com.au>
Subject: Re: [FD-2611-2290] rice cooker beeping E1

""" + ACK_EN.format(t="FD-2611-2290"), reply_to_id="ack-2290@acme-appliances.example", kind="html"),
M(19, "locked-out-old-number-gone", "en", "support", ["account-password"],
  "locked out of the account; the codes go to a phone number the customer no longer has",
  ("Hiroshi Tanaka", "h.tanaka@example.jp"), "support", "cannot get into my account",
  """
Hello,

I moved back to Osaka last month and no longer have my Chinese SIM card. Now the app has
logged me out and wants a code sent to my old +86 number, which I can't receive. I also
tried my password a few times from memory and now it says to wait.

I still have two of your purifiers registered and would like to keep using them. My last
order was AC2608021147.

Hiroshi Tanaka
"""),
M(20, "wp800-tap-missing", "en", "support", ["damaged-on-arrival"],
  "delivered yesterday with a part missing (the faucet); catalog: report missing parts within 48 hours",
  ("Kate O'Brien", "kate.obrien@example.ie"), "support", "WP-800 - no tap in the box",
  """
Hi,

Our WP-800 came yesterday afternoon. The fitter is booked for Thursday, so I unpacked
everything to get it ready and there's no faucet in the box - the separate drinking tap
that goes on the sink. The foam insert has an empty slot shaped exactly like it. All the
other bits on the parts list are there.

Photos attached of the inside of the box and the label on the outside.

Kate
""", kind="mixed", attach=[("image/png", "inside box.png", PNG2), ("image/png", "shipping label.png", PNG3)]),
M(21, "rice-cooker-gift-for-taipei-support", "en", "sales", ["overseas-voltage"],
  "sent to support@; before buying a gift for parents in Taipei: will a mainland rice cooker work there",
  ("Kevin Hsu", "kevin.hsu@example.com"), "support", "gift for my parents",
  """
Hi,

I live in Shanghai and want to buy your rice cooker for my parents in Taipei and carry it
over when I go home for the new year. Can they just plug it in there or does it need
something extra? Don't want to give them something that blows up on the first day.

Thanks
Kevin
"""),
M(22, "robot-update-stuck-47", "en", "support", ["firmware-update"],
  "firmware update frozen at a percentage",
  ("Laura Jensen", "laura.jensen@example.dk"), "support", "Update stuck at 47%",
  """
Hi,

The app told me there was new software for my robot so I pressed the button last night.
This morning the app still says 47% and the robot's little light keeps slowly blinking blue. It's
on its charging station. I'm scared to pull the plug in case it breaks it.

How long is it supposed to take?

Laura
"""),
M(23, "writer-wants-photos-support", "en", "pr", ["press-contact"],
  "a freelance writer asking for product images and a loan unit; the press kit and contact answer it",
  ("Megan Clarke", "megan.clarke@example-media.com"), "press", "Image request - kettles roundup",
  """
Hello,

I'm a freelance writer putting together a "kettles that are worth the counter space"
piece for a home-and-living site, going live around 15 December. I'd like to include your
smart kettle and need a couple of high-res product shots on a white background. If there
is any chance of borrowing one for a week to test, even better.

Who is the right person for this?

Megan Clarke
Freelance journalist
"""),
M(24, "nairobi-importer", "en", "sales", ["dealer-partnership"],
  "an importer wanting to resell in East Africa",
  ("Samuel Otieno", "s.otieno@example-trading.co.ke"), "sales", "Distribution enquiry - Kenya",
  """
Dear Acme Appliances,

Otieno Trading Ltd imports small kitchen and home appliances into Kenya, Uganda and
Tanzania; we supply about 60 retail shops and two online marketplaces. Your kettles and
rice cookers would fit our range well.

We would like to discuss carrying your products in East Africa. What are the conditions,
and who handles new markets?

Best regards,
Samuel Otieno
Managing Director
"""),
M(25, "seo-agency-pitch-sales", "en", "pr", [],
  "sent to sales@; a marketing agency pitch, not a purchase",
  ("Jessica Moore", "jessica@example-growthlab.io"), "sales", "Quick question about acme-appliances.example",
  """
Hello Acme team,

Spent some time on acme-appliances.example this morning - your product pages aren't ranking for
some high-intent searches like "quiet air purifier for bedroom". Our team at GrowthLab has
helped 40+ home brands double organic traffic in 6 months through content and backlinks.

Worth a quick chat? Happy to put together a no-cost audit first so you can see the gaps.

Best,
Jessica Moore
Growth Partner, GrowthLab

If you'd rather not hear from me again, just reply "no thanks".
""", kind="html"),
M(26, "paypal-taken-order-unpaid-support", "en", "finance", ["payment-problems"],
  "sent to support@; money taken through PayPal but the order still shows as unpaid",
  ("Daniel Weiss", "daniel.weiss@example.de"), "support", "Order says unpaid but PayPal took the money",
  """
Hello,

I ordered a dehumidifier on your international store last night. The PayPal window
froze, I closed it, and now the order page says "awaiting payment" - but PayPal shows
EUR 219.00 as completed to Acme Appliances. Should I pay again? I really don't want to be
charged twice.

Order AC-INT-2611-00491.

Daniel Weiss
"""),
M(27, "cheaper-six-days-later", "en", "support", ["price-protection"],
  "bought 6 days ago, same product now lower in the official store",
  ("Rebecca Lowe", "becca.lowe@example.com"), "support", "Same kettle now 60 yuan less",
  """
Hi,

Bit annoyed - I bought the smart kettle from your website last Sunday for ¥359 and today
it’s showing ¥299 on the same page, no coupon or anything, just the normal price. That's
within a week. Is there any way to get the 60 back or do I have to return it and buy it
again?

Rebecca
"""),
M(28, "survey-reply-score", "en", "support", [],
  "reply to a satisfaction survey with a score and a comment, no question",
  ("Peter Novak", "peter.novak@example.cz"), "support", "Re: How did we do?",
  """
8/10. Delivery was quick and the driver carried it upstairs. Lost two points because the
instructions for fitting the drain hose were only pictures and I had to guess which way
round the clip goes. Works fine now.

Peter
"""),
M(29, "grandma-s8-instructions", "en", "support", ["manuals-download"],
  "paper instructions thrown away; wants the booklet for the S8 for a relative",
  ("Yusuf Demir", "yusuf.demir@example.com"), "support", "Instructions booklet",
  """
Hello,

I set up an S8 for my grandmother and then, cleverly, threw the box away with the booklet
still in it. She wants to keep the instructions by the phone so she can check how to
empty the station and clean the mop cloths when I'm not there. Is there a copy I can print
out for her? English or Chinese both OK.

Yusuf
"""),
M(30, "toddler-bought-twice", "en", "support", ["cancel-order"],
  "a duplicate order placed by a child, paid a few minutes ago, not shipped",
  ("Hannah Weber", "hannah.weber@example.at"), "support", "Two orders by accident!!",
  """
Hi,

My 3 year old got hold of my phone while the app was open and now I have TWO orders for
the same purifier filter, AC2611230412 and AC2611230419, both paid about ten minutes ago.
I only need one. Please can you stop the second one before it goes out?

Thank you!!
Hannah
"""),
]
MAILS += [
# --- Chinese (Simplified) ------------------------------------------------------------------
M(31, "locker-says-taken-billing", "zh", "support", ["order-tracking"],
  "sent to billing@; parcel marked signed for (快递柜) but not there",
  ("赵磊", "zhaolei1990@example.cn"), "billing", "东西没拿到",
  """
你好，

我前天买的扫地机，短信说已经放进小区门口的快递柜了，可是我下班去开，输了取件码柜门是空的。
打电话给快递员一直没人接，物业说柜子不归他们管。页面上现在写着“已签收”，我根本就没拿到啊。
订单 AC2611120577，你们帮忙查一下到底放哪了。

赵磊
""", charset="GB2312", cte="base64"),
M(32, "urumqi-how-many-days-sales", "zh", "support", ["shipping-delivery-times"],
  "before buying: delivery days to Urumqi (a remote area) and whether postage is charged",
  ("阿依古丽", "ayigul.x@example.cn"), "support", "乌鲁木齐能送吗",
  """
您好，我在乌鲁木齐，想买你们的除湿机，家里地下室太潮了。
想问一下寄到我们这边大概要多少天？要不要另外加钱？之前在别家买东西等了快两个礼拜。
谢谢！
""", charset="GBK", cte="8bit"),
M(33, "address-wrote-office", "zh", "support", ["change-order-address"],
  "just ordered with the office as the address; wants the home address instead",
  ("孙婷婷", "sunting@example.com.cn"), "support", "地址写成公司了",
  """
客服您好：

半小时前下了一单净化器，结果收货地址默认跳出来的是公司的，我没注意就付款了。这周五开始我休年假，
公司没人收。能不能帮我换成家里的地址：杭州市西湖区文一西路某小区 3 幢 402，电话不变。
订单号 AC2611140326。麻烦了！

孙婷婷
"""),
M(34, "paid-twice-page-froze-support", "zh", "finance", ["payment-problems"],
  "sent to support@; payment screen froze, paid again, charged twice",
  ("刘建国", "liujianguo@example.cn"), "support", "怎么扣了我两次钱",
  """
你们好！

昨天晚上买电饭煲，付款的时候页面转圈转了好久，我以为没付成功，就又点了一次微信支付。
今天早上看微信账单，同一个订单扣了两次，每次 499。我就买了一个锅，多出来的钱什么时候退给我？

刘先生
""", charset="GB18030", cte="quoted-printable"),
M(35, "flash-sale-coupon-refused-sales", "zh", "support", ["coupons"],
  "a coupon refused at checkout on a flash-sale item (coupons at checkout go to support, as in eval/dev)",
  ("周小米", "xiaomi.zhou@example.cn"), "support", "券为什么用不了？",
  """
我领了一张满 300 减 50 的券，加购物车里那个水壶 329 块，结算的时候券是灰的，点不了。
这个水壶页面上写着“限时秒杀”，是不是因为这个？那我这张券还能用在哪？快过期了。

小米
""", kind="html", charset="UTF-8", cte="base64"),
M(36, "purifier-too-noisy-family-return", "zh", "support", ["returns-7-day"],
  "change of mind after two days of use: the family finds it too loud; wants to send it back",
  ("黄静", "huangjing.sz@example.cn"), "support", "想退掉",
  """
你好，上周六收到的空气净化器，用了两天，家里老人说晚上嗡嗡响睡不着，非要我退掉。
机器没有任何问题，就是我们家用不惯。箱子还在，滤网上的塑料膜我拆了。
这样还能退吗？邮费要我们自己出吗？

黄静
""", charset="GBK", cte="base64"),
M(37, "cabinet-floor-wet", "zh", "support", ["water-purifier-leak", "repair-booking"],
  "water under the sink from a purifier pipe; asks for someone to come today (on-site repair for purifiers)",
  ("吴志强", "wuzhiqiang@example.cn"), "support", "水槽下面全是水",
  """
刚才拿垃圾袋，发现水槽底下的柜子里积了一滩水，木板都泡起来了。净水器是今年五月装的，
摸了一下是机器右边那根白色的管子那里一直在滴。我已经把总阀关了。
现在怎么办？今天能不能派人来看一下？

吴先生 138xxxx6621
""", charset="GB2312", cte="8bit"),
M(38, "purifier-arrived-who-installs-quartz", "zh", "support", ["installation-booking"],
  "water purifier delivered, asks when someone installs it and about a stone worktop",
  ("陈晓东", "chenxd@example.net.cn"), "support", "机器到了，什么时候来装",
  """
您好：

买的净水器昨天已经送到家了，箱子还没拆。请问是你们派人来装还是我自己找人？要收钱吗？
另外我们家厨房台面是石英石的，要在上面开个孔装水龙头，这个能做吗？

陈晓东
"""),
M(39, "need-fapiao-forgot-support", "zh", "finance", ["invoice-request"],
  "sent to support@; did not ask for an invoice at checkout, now needs one for expenses",
  ("王芳", "wangfang.work@example.cn"), "support", "补一张发票",
  """
你好，我上个月 18 号买的电水壶是放在办公室用的，下单的时候忘了勾开票。
现在财务说要有票才能报销。抬头开：上海恒远咨询有限公司，税号 91310000MA1FXXXXXX。
订单号 AC2610186634。麻烦开好发到这个邮箱，谢谢！

王芳
""", kind="mixed", attach=[("image/png", "付款截图.png", PNG1)], charset="UTF-8", cte="base64"),
M(40, "fapiao-title-missing-words", "zh", "finance", ["invoice-correction"],
  "an issued invoice with the company name missing two characters",
  ("李会计", "kuaiji.li@example.cn"), "billing", "发票抬头少了两个字",
  """
您好：

收到贵司开具的电子发票（订单 AC2611050218），抬头写成了“苏州云岭科技公司”，
我们营业执照上的全称是“苏州云岭科技有限公司”，少了“有限”两个字，财务没法入账。
麻烦作废重新开一张，税号没有问题。

苏州云岭科技有限公司 财务部 李
""", charset="GB2312", cte="quoted-printable"),
M(41, "return-signed-money-not-back-huabei", "zh", "finance", ["refund-timing"],
  "return reached the warehouse three days ago; paid with Huabei, no refund seen",
  ("徐丹丹", "xudandan@example.cn"), "billing", "退货的钱呢",
  """
我退的那个除湿机，快递显示周一就被你们仓库签收了，今天都周四了，支付宝里一分钱没看到。
我当时是用花呗付的，是不是退到别的地方去了？到底要等几天。

徐丹丹 订单 AC2610297745
""", charset="GBK", cte="8bit"),
M(42, "robot-error-2-hair", "zh", "support", ["vacuum-stuck-errors"],
  "robot stops with error 2 (tangled brush) in a house with long hair",
  ("杨柳", "yangliu.home@example.cn"), "support", "扫一会儿就报错",
  """
扫地机每次扫到卧室就停下来，语音说什么“错误2”，然后原地不动了。
我和女儿都是长头发，是不是卷进去了？要拆哪里？我不太会弄，怕拆坏。

杨柳
"""),
M(43, "cheap-filter-light-still-red", "zh", "support", ["purifier-filter-light", "filters-spare-parts"],
  "a third-party filter fitted, the red light will not go off: resetting, and genuine filters",
  ("马超", "machao.bj@example.cn"), "support", "换了滤网红灯还亮",
  """
你好，净化器的红灯亮了一个多月了，我在网上买了个便宜的替换滤网装上去，红灯还是亮着不灭。
后盖我也盖上了。是不是非得用你们自己家的滤网才行？原装的去哪里买，型号怎么看？

马超
""", charset="GB18030", cte="base64"),
M(44, "rice-cooker-e4", "zh", "support", ["rice-cooker-e1", "repair-booking"],
  "E4 on the display; the catalog says stop using and book a repair for E2-E4",
  ("郭秀兰", "guoxiulan@example.cn"), "support", "电饭锅出现E4",
  """
家里的电饭锅今天中午煮饭的时候突然“嘀嘀嘀”，屏幕上是E4，饭也没熟。拔了插头过了一会儿再插上还是E4。
这个是什么意思？还能用吗？买了一年多一点。

郭秀兰
""", charset="GB2312", cte="base64"),
M(45, "garage-dehumidifier-stops-every-half-hour", "zh", "support", ["dehumidifier-no-water"],
  "a dehumidifier in an unheated garage in winter: little water, pauses every half hour",
  ("邓伟", "dengwei@example.cn"), "support", "除湿机是不是坏了",
  """
我把除湿机放在车库里，车库没有暖气，这几天大概七八度。开了一整天水箱里只有一点点水，
而且隔半个小时左右就不转了，过一阵又自己转起来。夏天的时候一天能倒两次水。
到底是不是坏了？要不要寄回去修？

邓伟
"""),
M(46, "living-room-and-bedroom-which-one", "zh", "sales", ["choosing-a-model", "energy-noise-specs"],
  "before buying: which purifier for two rooms of different sizes, and the noise and power at night",
  ("蒋宁", "jiangning@example.cn"), "sales", "客厅和卧室各买一台，怎么选",
  """
你好，准备给新房买空气净化器，客厅大概 42 平，主卧 16 平。
两个房间是不是要买不一样的型号？卧室那台晚上要一直开，会不会吵得睡不着？一个月大概费多少电？

蒋宁
""", charset="GBK", cte="quoted-printable"),
M(47, "sixty-kettles-staff-gift-support", "zh", "sales", ["corporate-bulk-purchase", "invoice-vat-special"],
  "sent to support@; sixty kettles as staff gifts with a special invoice for the company",
  ("工会 钱主席", "gonghui.qian@example-steel.cn"), "support", "年底福利采购",
  """
你好，我们厂工会年底想给职工发福利，看中了你们的智能电水壶，大概要 60 台。
想问一下这个数量有没有优惠价，能不能签合同、对公转账？
我们是一般纳税人，财务那边说必须是专用的增值税发票，这个能开吗？需要提供什么资料？

钱
""", charset="GB2312", cte="8bit"),
M(48, "graduate-when-campus-hiring-support", "zh", "hr", ["careers"],
  "a student asking when graduate recruitment and internships open and where to apply",
  ("宋雨桐", "songyutong@example.edu.cn"), "jobs", "想问一下校招",
  """
您好，我是华东某高校工业设计专业的大三学生，明年毕业，很喜欢你们家产品的外观设计。
请问你们每年什么时候招应届生？暑假有没有实习的机会？简历应该投到哪里？

宋雨桐
"""),
M(49, "livestream-mcn-pitch-sales", "zh", "pr", [],
  "sent to sales@; an influencer agency pitching paid livestream selling",
  ("星火传媒 商务部", "bd@example-xinghuo.cn"), "sales", "合作洽谈｜星火传媒",
  """
贵司负责人您好！

我们是星火传媒，旗下签约达人 200 余位，家居家电类头部主播粉丝量超过 800 万。
看到贵品牌的净化器和电水壶颜值很高，非常适合我们直播间的人群。
现推出年终专场合作方案：坑位费加佣金，保底 GMV，可以先试播一场。
方便的话请留下联系方式，我们发详细的刊例给您。

星火传媒 商务合作 小陈
""", kind="alt", charset="UTF-8", cte="quoted-printable"),
M(50, "received-thanks-quoted", "zh", "support", [],
  "short reply closing the thread, quoting our acknowledgement",
  ("林建华", "linjianhua@example.cn"), "support", "回复：[FD-2611-2305] 净化器遥控器",
  """
收到，谢谢。

林建华

-----原始邮件-----
发件人: "Acme 客服" <support@acme-appliances.example>
收件人: linjianhua@example.cn
发送时间: 2026年11月2日(星期一) 下午4:20
主题: [FD-2611-2305] 净化器遥控器

""" + ACK_ZH.format(t="FD-2611-2305"), reply_to_id="ack-2305@acme-appliances.example",
  charset="GBK", cte="base64"),
M(51, "ro-waste-water-ratio-support", "zh", "sales", [],
  "sent to support@; pre-sale question on the waste-water ratio and tap water, not in the catalog",
  ("冯磊", "fenglei@example.cn"), "support", "净水器废水多不多",
  """
你好，想买 WP-800，在犹豫。家里人说 RO 的净水器很浪费水，做一杯水要倒掉好几杯。
你们这款纯水和废水的比例是多少？我们这边水质偏硬，水垢很重，滤出来能直接喝吗？

冯
""", charset="GB18030", cte="8bit"),
M(52, "hotline-rant", "zh", "support", [],
  "a complaint about the hotline with nothing to answer",
  ("韩先生", "hanxs@example.cn"), "support", "你们的客服电话是摆设吗",
  """
今天上午打了你们的客服热线四次，每次都是“坐席忙，请稍后再拨”，等了二十分钟直接挂断。
问题我已经自己在网上搜到办法解决了，就是想说一句：这样的服务态度，下次不会再买你们家东西了。
不用回复。
""", charset="GB2312", cte="quoted-printable"),
M(53, "other-brand-soymilk-maker", "zh", "support", [],
  "another brand's soy-milk maker bought on a marketplace; not our product",
  ("唐老师", "tanglaoshi@example.cn"), "support", "豆浆机打不碎",
  """
您好，我在网上买的“佳禾”豆浆机，用了三个月，现在打出来的豆浆全是渣，刀片转起来声音也不对。
店铺已经关了联系不上，看到你们也是做厨房小电器的，能不能帮忙修一下或者告诉我哪里能修？

唐
""", charset="GBK", cte="8bit"),
M(54, "stop-texts-close-account", "zh", "support", ["privacy-data-deletion"],
  "wants the promotional texts stopped and the account with the home address deleted",
  ("曹阳", "caoyang@example.cn"), "support", "别再给我发短信了",
  """
你好，

自从去年买了个电水壶，几乎每天都收到你们的促销短信，双十一那几天一天三四条，烦死了。
水壶早就送人了，我以后也不打算再用你们的App。
麻烦把我的手机号从名单里去掉，账号也直接帮我注销吧，里面还存着我家的地址和电话，不想留在你们那里。

曹阳
"""),
# --- Traditional: Taiwan and Hong Kong --------------------------------------------------
M(55, "hk-ship-to-hk-how-much-sales", "zh", "support", ["shipping-hk-macau-taiwan"],
  "Cantonese; before buying: do we send to Hong Kong, the fee, days and tax (shipping goes to support)",
  ("梁志偉", "leung.chiwai@example.com.hk"), "support", "寄唔寄香港？",
  """
你好，

想問下你哋寄唔寄香港㗎？我睇中咗部抽濕機，但係網頁淨係寫咗大陸包郵。
寄過嚟要幾多錢運費？大概幾日到？使唔使另外俾稅？

唔該晒
梁生
""", charset="Big5-HKSCS", cte="base64"),
M(56, "hk-robot-chair-legs", "zh", "support", ["vacuum-stuck-errors"],
  "Cantonese; the robot keeps getting trapped among chair legs",
  ("何家欣", "kayan.ho@example.com.hk"), "support", "部機械人成日卡喺凳腳",
  """
Hello，

我屋企部掃地機械人每次掃到飯廳就出唔返嚟，喺啲凳腳中間兜嚟兜去，最後停咗喺度響。
我每次返到屋企都要去救佢，好煩。有冇方法叫佢唔好入去嗰度？

Kayan
""", charset="Big5-HKSCS", cte="quoted-printable"),
M(57, "hk-payme-before-buying-billing", "zh", "sales", ["payment-methods"],
  "Cantonese, sent to billing@; before buying: can I pay with PayMe or FPS",
  ("黃美玲", "wongmeiling@example.com.hk"), "billing", "可唔可以用PayMe俾錢",
  """
你好，我想喺你哋香港網店買個電飯煲，但係我冇信用卡，
請問可唔可以用PayMe或者轉數快俾錢？定係一定要碌卡？

黃小姐
""", charset="Big5-HKSCS", cte="8bit"),
M(58, "hk-showroom-visit", "zh", "sales", [],
  "Cantonese; wants to see the products in a shop before buying, the catalog has no store list",
  ("鄭俊傑", "cheng.cj@example.com.hk"), "sales", "有冇門市睇實物？",
  """
你好，

我想買部空氣清新機俾屋企老人家用，但係想親眼睇下個size同埋聽下佢有幾嘈先決定。
你哋喺香港有冇門市或者陳列室可以去睇？銅鑼灣或者旺角附近最好。

Thanks
鄭先生
""", charset="Big5-HKSCS", cte="base64"),
M(59, "tw-ezway-sms-never-came", "zh", "support", ["shipping-hk-macau-taiwan"],
  "Taiwan; parcel held at customs because the real-name verification was not done",
  ("陳怡婷", "yiting.chen@example.com.tw"), "support", "包裹卡在海關",
  """
您好，

上星期在官網下單買了一台電子鍋，寄到台中，物流一直停在「海關查驗中」已經五天了。
朋友說可能是要做什麼認證，可是我完全沒有收到任何簡訊。請問我要怎麼處理？會不會被退回去？

陳怡婷 敬上
""", charset="Big5", cte="quoted-printable"),
M(60, "tw-mainland-dehumidifier-weak", "zh", "support", ["overseas-voltage", "warranty-policy"],
  "Taiwan; a mainland dehumidifier carried over runs weakly on 110 V; asks whether it can be serviced in Taiwan",
  ("張家豪", "chiahao.chang@example.com.tw"), "support", "除濕機在台灣好像怪怪的",
  """
你好，

我去年在上海工作的時候買了你們的除濕機，今年搬回高雄就一起帶回來了。
用變壓器插上去可以開機，但是風很小，水也幾乎沒有，有時候還會跳掉。
請問是不是電壓的關係？如果壞了，可以在台灣這邊送修嗎？還在一年內。

張先生
""", charset="Big5", cte="base64"),
M(61, "tw-returned-credit-card-not-refunded-support", "zh", "finance", ["refund-timing"],
  "Taiwan, sent to support@; a return accepted, the credit-card refund not yet on the statement",
  ("林佳慧", "chiahui.lin@example.com.tw"), "support", "退款還沒入帳",
  """
您好，

上個月退回的快煮壺，客服說已經收到並且退款了，可是我信用卡帳單上一直沒有看到這筆錢。
已經過了快十天，請問這樣正常嗎？要再等多久，還是要去問銀行？

林佳慧
""", charset="Big5", cte="8bit"),
M(62, "tw-blogger-review-unit-support", "zh", "pr", ["press-contact"],
  "Taiwan, sent to support@; a blogger asking for a review unit",
  ("小魚的生活手帖", "fishlife.blog@example.com.tw"), "support", "開箱評測合作詢問",
  """
您好，

我是部落客「小魚的生活手帖」，主要分享小家電和居家收納，每月瀏覽量大約十五萬。
最近很多讀者問到你們的空氣清淨機，想詢問是否有機會提供一台測試機，讓我做完整的開箱和一個月使用心得。
預計一月中發文，也會同步到 IG。請問這類合作要跟哪個窗口聯絡呢？

小魚
""", charset="UTF-8", cte="quoted-printable"),
]
MAILS += [
# --- mixed Chinese/English ----------------------------------------------------------------
M(63, "kt17-serial-check-mixed", "mixed", "support", ["safety-recall"],
  "a KT-17 with a serial in the affected range; the customer saw a warning in a WeChat group",
  ("Vivian 沈", "vivian.shen@example.com"), "support", "KT-17 serial number 要不要换？",
  """
Hi，

公司群里有同事转了一个 notice，说有一批 KT-17 的底座会 overheat。我家那个是今年四月买的，
翻过来看底下印的是 KT17-2604-2207。我已经先 unplug 了。
想确认一下我这个 serial 在不在里面，需要寄回去吗？还是你们会寄新的？

Thanks
Vivian
"""),
M(64, "vietnam-distributor-press", "mixed", "sales", ["dealer-partnership"],
  "sent to press@; a Vietnamese trading company wanting to distribute",
  ("Nguyen Van Minh 阮文明", "minh.nguyen@example-trading.vn"), "press", "Distributor 合作 - Vietnam",
  """
Dear Acme team,

我是 Minh，越南胡志明市 Saigon Home Trading 的 director，我们做 home appliances 进口已经八年，
在越南南部有 35 家 retail stores，也在 Shopee 和 Lazada 上开店。
我们对你们的 air purifier 和 rice cooker 很有兴趣，想申请成为越南的 distributor。
请问需要什么条件？应该和哪位负责人联系？

Best regards,
Nguyen Van Minh
""", charset="UTF-8", cte="quoted-printable"),
M(65, "cv-embedded-engineer-jobs", "mixed", "hr", [],
  "a CV for a named opening sent to jobs@: nothing for the acknowledgement to link",
  ("何俊 Jun He", "jun.he@example.com"), "jobs", "应聘 Embedded Software Engineer（固件开发）",
  """
HR 您好，

我在招聘网站上看到贵司的 Embedded Software Engineer 职位，特来应聘。
本人有 5 年 embedded C 开发经验，熟悉 FreeRTOS、BLE 和 Wi-Fi 模组，上一份工作负责过扫地机的 OTA 模块。
简历见附件，期待您的回复。

何俊
Mobile: 186-xxxx-3390
""", kind="mixed", attach=[("application/pdf", "何俊-简历-Embedded.pdf", pdf("CV He Jun - Embedded Software"))],
  charset="GBK", cte="base64", hcharset="UTF-8"),
M(66, "not-shipped-four-days-cancel", "mixed", "support", ["order-tracking", "cancel-order"],
  "paid four days ago, still not shipped; asks where it is and how to cancel if it does not ship",
  ("Kelly 吕", "kelly.lv@example.cn"), "support", "order 还没发货？",
  """
你好，

我 4 天前买的 robot vacuum，order status 一直是“待发货”，也没有 tracking number。
你们不是说 48 小时内发货吗？如果明天还不发，我就不要了，想直接 cancel 掉，
这种情况要怎么操作？钱能马上退吗？

订单号：AC2611191185
Kelly
"""),
M(67, "inner-pot-peeling-mixed", "mixed", "support", ["warranty-policy", "filters-spare-parts"],
  "inner pot coating peeling after ten months (wooden spoon only): warranty, or buying a new pot",
  ("Jason 彭", "jason.peng@example.com"), "support", "内胆 coating 掉了",
  """
Hi 客服，

家里的 rice cooker 用了十个月左右，内胆底部的 coating 一块一块地掉，我们一直是用木勺盛饭的，
从来没用过金属的东西。这个算 warranty 吗？如果不保，我想直接买一个新的内胆，在哪里买？

Jason
""", kind="mixed", attach=[("image/png", "内胆照片.png", PNG2)]),
M(68, "basement-dehumidifier-tank-light", "mixed", "support", ["dehumidifier-no-water"],
  "dehumidifier stops with the tank light on though the tank was just emptied",
  ("Eric 钟", "eric.zhong@example.cn"), "support", "dehumidifier 一直停机",
  """
Hello，

地下室那台 dehumidifier 最近老是停，面板上那个 tank 的灯一直亮着，
可是我刚刚才把水倒掉，里面是空的。装回去以后还是亮，机器不工作。
我想接一根 drain hose 直接排到 floor drain，这样是不是就不用倒水了？

Eric
""", charset="GB18030", cte="quoted-printable"),
M(69, "esports-team-sponsor-sales", "mixed", "pr", [],
  "sent to sales@; a sponsorship request from a student esports team",
  ("赵一鸣 Ethan", "ethan.zhao@example.edu.cn"), "sales", "Sponsorship 赞助申请 - 电竞战队",
  """
您好！

我们是某大学的 esports 战队，明年三月要参加全国高校联赛，正在寻找 sponsor。
可以在队服、直播画面和 B 站视频里放贵品牌的 logo，也可以做一期宿舍好物的 vlog。
希望能得到一些资金或者产品上的支持，赞助方案 PDF 在附件里。

Ethan 赵一鸣
队长
""", kind="mixed", attach=[("application/pdf", "赞助方案2027.pdf", pdf("Sponsorship proposal 2027"))],
  charset="UTF-8", cte="base64"),
M(70, "auto-reply-leave-bilingual", "mixed", "support", [],
  "bilingual auto-reply from a customer's company mailbox, no Auto-Submitted header",
  ("Amanda 许", "amanda.xu@example-corp.cn"), "support", "自动回复 / Auto reply: Re: 订单 AC2611210056",
  """
您好，我于 11 月 23 日至 11 月 27 日休假，期间不方便查看邮件。急事请联系 Iris（iris.li@example-corp.cn）。

Hello, I'm on holiday 23-27 November and won't be reading mail. If it can't wait, Iris
(iris.li@example-corp.cn) can help.

Amanda Xu
""", headers=["X-Autoreply: yes"], reply_to_id="ack-2377@acme-appliances.example"),
M(71, "s8-homekit-matter-support", "mixed", "sales", [],
  "sent to support@; pre-sale: smart-home platform support, which the catalog does not cover",
  ("Leo 邵", "leo.shao@example.com"), "support", "S8 支不支持 HomeKit？",
  """
请问一下，S8 能不能接入 Apple HomeKit 或者 Matter？我家里全部是 Apple 的生态，
想用 Siri 说一句就开始扫地。如果不支持的话，以后会不会通过 update 加上？
还没买，在比较几个牌子。

Leo
"""),
M(72, "got-normal-need-special-invoice-sales", "mixed", "finance", ["invoice-correction", "invoice-vat-special"],
  "sent to sales@; an ordinary invoice was issued but the company needs a special one",
  ("Cathy 范", "cathy.fan@example-bio.cn"), "sales", "发票类型不对，需要 special invoice",
  """
Hi，

我们公司上周在贵司采购了 5 台 dehumidifier（订单 AC2611110904），收到的是普通电子发票，
但我们是一般纳税人，finance 需要的是增值税专用发票，可以抵扣的那种。
能不能把原来那张作废，重新开一张专票？开票资料我放在附件里了。

Cathy Fan
Admin, 苏州某生物科技有限公司
""", kind="mixed", attach=[("application/pdf", "开票资料.pdf", pdf("Invoice details: Suzhou Bio Co Ltd"))],
  charset="GBK", cte="quoted-printable"),
M(73, "kettle-lid-hinge-day-ten", "mixed", "support", ["exchanges"],
  "a kettle lid hinge broke on day ten: a fault inside the exchange window",
  ("Tina 邱", "tina.qiu@example.cn"), "support", "水壶盖子 broken",
  """
hi，这个 smart kettle 收到才 10 天，今天早上按 open 的按钮，盖子弹不起来了，里面好像有个小零件断了，
晃一下会响。平时就是正常烧水，never dropped it。这个可以换一个 new one 吗？

Tina
"""),
M(74, "return-purifier-coupon-back", "mixed", "support", ["returns-7-day", "coupons"],
  "a change-of-mind return of an order paid partly with a coupon; asks if the coupon comes back",
  ("Zoe 傅", "zoe.fu@example.com"), "support", "退货 + coupon 的问题",
  """
Hello，

上周五收到的 air purifier 想退掉，房间太小放不下，机器是好的，包装都在。
下单的时候用了一张 100 块的 coupon，退货以后这张券还能还给我吗？还是就作废了？
另外退回去的运费是我出吗？

Zoe
""", kind="alt"),
M(75, "livestream-price-then-drop", "mixed", "support", ["price-protection"],
  "bought at a livestream price; the store price later dropped lower; asks for the difference",
  ("Mia 彭", "mia.peng@example.cn"), "support", "直播间买的，现在更便宜了？？",
  """
我 11 号在你们 livestream 里面买的 kettle，当时说是直播专享价 319。
结果今天打开 app 看到同款直接标价 289，还不用凑单。才过了一个礼拜，
这个差价可以退给我吗？要怎么 apply？

Mia
""", charset="UTF-8", cte="8bit"),
M(76, "new-phone-no-code", "mixed", "support", ["account-password"],
  "changed phone number; the login code cannot arrive",
  ("Ryan 蔡", "ryan.cai@example.com"), "support", "login 收不到验证码",
  """
你好，我换了新的手机号，旧号码已经停机了。现在 app 登录要 SMS 验证码，
全部发到旧号码上，我根本收不到。password 我也记不清了。
家里的 robot 和 purifier 都绑在这个账号上，怎么办？

Ryan
"""),
M(77, "jd-robot-wheel-fourteen-months", "mixed", "support", ["repair-booking", "warranty-policy"],
  "bought on another platform 14 months ago, a drive wheel broke: repair and whether it is covered",
  ("Steven 龙", "steven.long@example.cn"), "support", "robot 的轮子坏了 - bought on JD",
  """
你好，

我的扫地机是去年九月在京东自营买的，不是在你们官网。最近左边的 wheel 掉下去就弹不回来了，
机器一直原地转圈。已经用了 14 个月，还在 warranty 里面吗？
要怎么送修，需要我自己 ship 过去吗？有没有 pickup service？发票在京东可以下载。

Steven
""", kind="alt", charset="UTF-8", cte="base64"),
M(78, "thanks-then-filter-light-question", "mixed", "support", ["purifier-filter-light"],
  "looks like a thank-you note but ends with a real question: resetting the filter light on the AP-400",
  ("Grace 祝", "grace.zhu@example.com"), "support", "Re: [FD-2611-2402] 谢谢！",
  """
谢谢你们 Lily 昨天电话里那么耐心，新的 filter 已经收到并且装好了，机器声音也正常了 :)

顺便问一句：屏幕上那个 filter 的红灯还是亮着，AP-400 要按哪两个键才能 reset？

Grace

------------------ Original ------------------
From: "Acme Customer Care" <support@acme-appliances.example>
Date: Mon, Nov 2, 2026 10:03 AM
To: "Grace" <grace.zhu@example.com>
Subject: [FD-2611-2402] 滤网

""" + quote(ACK_ZH.format(t="FD-2611-2402")), reply_to_id="ack-2402@acme-appliances.example",
  charset="GB18030", cte="base64", hcharset="GB18030", hmode="Q", quoted_name=True),
M(79, "v5-or-s8-cat-flat", "mixed", "sales", ["choosing-a-model"],
  "before buying: V5 or S8 for a three-bedroom flat with a cat",
  ("Nina 董", "nina.dong@example.com"), "sales", "V5 vs S8 哪个好",
  """
Hi，

家里三室两厅，大概 110 平，木地板，有一只很能掉毛的 cat。纠结 V5 还是 S8，
S8 贵了不少，多出来的功能值不值？我平时上班很忙，不想天天倒 dust，最好能 auto empty 的。

Nina
""", charset="UTF-8", cte="quoted-printable"),
M(80, "never-mind-arrived-outlook", "mixed", "support", [],
  "reply in an Outlook block saying the late parcel has now arrived; nothing to answer",
  ("Frank 严", "frank.yan@example-corp.cn"), "support", "RE: [FD-2611-2418] 快递一直没动",
  """
Hi，刚刚 parcel 已经送到公司前台了，东西完好，这个 ticket 可以 close 了，谢谢。

Frank Yan 严
Purchasing Dept.

From: Acme Customer Care <support@acme-appliances.example>
Sent: Thursday, November 19, 2026 9:15 AM
To: Frank Yan <frank.yan@example-corp.cn>
Subject: [FD-2611-2418] 快递一直没动

""" + ACK_ZH.format(t="FD-2611-2418"), reply_to_id="ack-2418@acme-appliances.example",
  kind="html", charset="GB2312", cte="base64"),
]

# --- labels, counts, check: eval/dev/make.py's, pointed at this set -------------------------

dev.point_at(HERE, MAILS, "dev3 (tuning)")


def wording_problems():
    """A dev3 mail must not copy a run of words from the catalog or from an eval/dev or
    eval/dev2 mail
    (quoted acknowledgements excepted: they are ours)."""
    dev2 = _load("dev2make", os.path.join(HERE, "..", "dev2", "make.py"))
    sources = [("faq.yaml", open(dev.FAQ, encoding="utf-8").read())]
    sources += [("eval/dev " + dev.fname(m), m["body"]) for m in DEV_MAILS]
    sources += [("eval/dev2 " + dev.fname(m), m["body"]) for m in dev2.MAILS]
    tickets = {t for m in MAILS for t in re.findall(r"FD-\d{4}-\d{4}", m["body"])}
    own = set()
    for ack in (ACK_EN, ACK_ZH):
        for t in tickets:
            own |= dev.shingles(ack.format(t=t))
    return dev.wording_problems(sources, own)


if __name__ == "__main__":
    dev.main_with_wording(wording_problems)
