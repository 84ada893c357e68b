#!/usr/bin/env python3
"""Generate the eval/dev4 mail set: NNN-slug.eml files and labels.yaml.

    python3 eval/dev4/make.py          # (re)write the .eml files, labels.yaml and the counts in README.md
    python3 eval/dev4/make.py --check  # verify the files on disk, the labels, the counts and the wording

Written by the Frontdesk project, session 16, from ../../../shared/eval/faq.yaml and the
routing policy in ../shared/eval/README.md only, blind to public-b, to the public/ mails, to
the eval/dev, eval/dev2 and eval/dev3 mails (only eval/dev3's README and make.py mechanics
were read) and to the Go code. The encoding, building, labelling and checking code is
eval/dev/make.py's, loaded as a module and pointed at this directory and this MAILS list; this
file adds the mails and a wording check (no long run of words shared with the catalog, eval/dev,
eval/dev2 or eval/dev3).
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


png, pdf = dev.png, dev.pdf
PNG1 = png(18, 12, 71)
PNG2 = png(22, 16, 137)
PNG3 = png(12, 20, 313)

ACK_EN, ACK_ZH, quote = dev.ACK_EN, dev.ACK_ZH, dev.quote


def M(n, slug, lang, dept, faq, note, frm, to, subject, body, **kw):
    """One mail: its label and what it looks like. Date and Message-ID are derived from n
    unless given; the body charset and transfer encoding default by language."""
    tz = datetime.timezone(datetime.timedelta(hours=(0, 8, -5)[n % 3] if lang == "en" else 8))
    when = datetime.datetime(2026, 12, 1 + (n * 7) % 27, 7 + (n * 3) % 15, (n * 17) % 60, (n * 31) % 60, tzinfo=tz)
    dom = frm[1].split("@")[1]
    m = dict(n=n, slug=slug, lang=lang, dept=dept, faq=faq, note=note, to=to, subject=subject, body=body,
             date=email.utils.format_datetime(when), msgid="%08x.d4%03d@%s" % (zlib.crc32(slug.encode()), n, dom))
    m["from"] = frm
    if dev.is_ascii(body) and "charset" not in kw:
        m["charset"], m["cte"] = "US-ASCII", "7bit"
    else:
        m["cte"] = ("quoted-printable", "base64", "8bit")[n % 3]
    m.update(kw)
    return m


MAILS = [
# --- English -----------------------------------------------------------------------------
M(1, "s8-station-bag-never-empties", "en", "support", ["filters-spare-parts"],
  "owned S8: the dust bag in the station is full and the spare ones that came with it are used up; where to buy more",
  ("Harriet Cole", "hcole@example.co.uk"), "support", "bags for the S8 station",
  """
Hello,

The station on my S8 has been beeping about a full bag since Sunday. I've gone through
the two spare bags that were in the box. Where do I get more that actually fit? The
supermarket ones are the wrong shape.

Harriet
"""),
M(2, "kettle-refund-card-billing", "en", "finance", ["refund-timing"],
  "sent to billing@: kettle returned two weeks ago, card refund still not visible",
  ("Dev Malhotra", "dev.m@example.com"), "billing", "Kettle return - where's my money",
  """
Hi,

The KT-17 went back on 20 Nov (didn't like the plastic taste, change of mind). Your
after-sales page says "refund issued" since the 24th but my Mastercard statement shows
nothing. Is it stuck on your side or my bank's? Order AC2611207731.

Thanks, Dev
"""),
M(3, "wp800-want-uv-lamp-presale", "en", "sales", [],
  "pre-sale: whether the WP-800 has a UV sterilising lamp in the tank; the catalog does not say",
  ("Tomasz Nowak", "t.nowak@example.pl"), "support", "WP-800 question before I buy",
  """
Good morning,

Before I order a WP-800: does it have a UV lamp or some other sterilisation for the water
that stands in the tank overnight? My current filter jug goes slimy and I'd like to avoid
that. I couldn't find it on the product page.

Regards,
Tomasz Nowak
"""),
M(4, "closing-thanks-robot-fixed", "en", "support", [],
  "closing reply: the technician's advice worked, nothing more to do",
  ("Beth Ocampo", "beth.ocampo@example.com"), "support", "Re: [FD-2612-0311] robot error",
  """
All sorted now, the brush had a hair tie wound round it. Thanks Ken for the quick reply,
you can close this one.

Beth

________________________________
From: Acme Support <support@acme-appliances.example>
Sent: 01 December 2026 09:02
To: Beth Ocampo
Subject: [FD-2612-0311] robot error

""" + quote(ACK_EN.format(t="FD-2612-0311")), reply_to_id="ack-0311@acme-appliances.example"),
M(5, "vacation-autoreply", "en", "support", [],
  "auto-reply with Auto-Submitted and X-Autoreply",
  ("Pieter de Wit", "p.dewit@example.nl"), "support", "Automatic reply: Your ticket FD-2612-0388",
  """
I am away until 4 January with very limited access to email. For anything urgent Saskia
(saskia@example.nl) is covering for me.

Pieter
""", headers=["Auto-Submitted: auto-replied", "X-Autoreply: yes"]),
M(6, "ticket-system-ack-no-headers", "en", "support", [],
  "another shop's ticketing system acknowledging our mail, no auto-reply headers",
  ("Brightmart Help", "help@brightmart.example"), "support", "[Case #559812] We have received your request",
  """
Dear customer,

This is an automated confirmation. Case #559812 has been created and a member of the
Brightmart team will look at it within 3 business days. Please do not reply to this
message; add information through the customer portal instead.

Brightmart Customer Service
"""),
M(7, "ap400-beeps-not-lights", "en", "support", ["purifier-filter-light"],
  "indirect: 'orange thing in the corner' on the AP-400 after a new filter went in",
  ("Sam Whitfield", "samw@example.net"), "support", "purifier still nagging after I changed the thing",
  """
hi so I put a new filter in the AP-400 yesterday (bought from your store) but the little
orange symbol in the corner is still glowing. I pressed the button with the fan on it
a few times, nothing. Do I need to do something else or is the new one duff?

sam
"""),
M(8, "dehumidifier-garage-cold-and-refund", "en", "support", ["dehumidifier-no-water", "returns-7-day"],
  "two things in one: dehumidifier in an unheated garage collects nothing, and if it is useless she wants to send it back (day 5)",
  ("Claire Dubois", "claire.dubois@example.fr"), "support", "Dehumidifier - nothing in the bucket",
  """
Hello,

We bought the dehumidifier on Thursday for our garage, which is about 3 degrees at the
moment. It runs and hums but after a whole night there's barely a spoon of water in the
tank. The garage walls are visibly damp so it isn't because the air is dry.

If it just won't work in a cold garage then I'd rather send it back while I still can -
it was delivered last Friday. What do I do?

Claire
"""),
M(9, "cv-for-supply-chain-role", "en", "hr", [],
  "CV with a PDF attached, sent to jobs@ for a named opening: nothing to link",
  ("Arjun Rao", "arjun.rao@example.in"), "jobs", "Application - Supply Chain Planner (ref SCP-12)",
  """
Dear Hiring Team,

Please find attached my CV for the Supply Chain Planner position (ref SCP-12) on your
careers page. I have six years of demand planning in consumer electronics, most recently
at a contract manufacturer in Dongguan. Languages: English, and Mandarin at a
conversational level.

I would welcome the chance to talk.

Kind regards,
Arjun Rao
+91 98 0000 1234
""", kind="mixed", attach=[("application/pdf", "Arjun_Rao_CV.pdf", pdf("Arjun Rao - CV"))]),
M(10, "podcast-interview-ask", "en", "pr", ["press-contact"],
  "podcast host asking for an interview with someone from the company: press contact",
  ("Lena Fischer", "lena@kitchengadgetpod.example"), "support", "Interview request - Kitchen Gadget Pod",
  """
Hi Acme team,

I host Kitchen Gadget Pod (about 40k listeners a week). We're doing an episode on smart
kettles in January and would love twenty minutes with someone from your product side
about the KT-17. Who would be the right person to talk to, and do you have photos we can
use on the episode page?

Best,
Lena Fischer
"""),
M(11, "seo-pitch-to-sales", "en", "pr", [],
  "agency pitch sent to sales@: influencer campaign, nothing to answer from the catalog",
  ("Jake Morrow", "jake@growthrocket.example"), "sales", "Quick idea for Acme's Q1",
  """
Hi there,

I run partnerships at GrowthRocket. We place appliance brands with 300+ home and lifestyle
creators on TikTok and Instagram, paid on performance only. Brands like yours typically
see a 4x return in the first quarter.

Have 15 minutes next week for a quick call?

Jake Morrow
GrowthRocket | Creator Campaigns
"""),
M(12, "v5-left-wheel-clicks-error", "en", "support", ["vacuum-stuck-errors"],
  "model code only; error with a number after the robot went over a rug fringe",
  ("Ned Parsons", "ned.parsons@example.com"), "support", "V5 says Error 1",
  """
Ned here. V5 keeps stopping in the living room with a voice saying Error 1, always near the
rug with the tassels. Switching it off and back on buys a few minutes then same again.
Any ideas before I throw it out the window?
"""),
M(13, "invoice-name-wrong-company", "en", "finance", ["invoice-correction"],
  "sent to support@: the e-invoice carries his own name, his employer needs the company name and tax number",
  ("Marcus Lim", "marcus.lim@example.sg"), "support", "Receipt needs my employer's name",
  """
Hi,

I bought an AP-600 for the office last week and downloaded the invoice, but it's made out
to me personally. Finance here will only reimburse it if it shows the company:
Lumen Data Pte Ltd, tax number 91310000MA1K00000X. Can you redo it?

Order AC2611288014.

Marcus
"""),
M(14, "neighbour-got-my-parcel", "en", "support", ["order-tracking"],
  "tracking says delivered, nothing arrived",
  ("Ruth Ellison", "ruth.e@example.com"), "support", "says delivered. it wasn't.",
  """
The app has said "delivered" since yesterday lunchtime for my rice cooker but there's
nothing here, not at reception, not with the neighbours, I've asked around. Order number
AC2612010093. Please can someone chase it.

Ruth
""", kind="html"),
M(15, "other-brand-blender", "en", "support", [],
  "another maker's blender, not ours: nothing to link",
  ("Gordon Blake", "gblake@example.net"), "support", "blender lid cracked",
  """
Hello, the lid of my NutriWhirl 900 blender has cracked along the spout after a month.
The shop said to write to the manufacturer and this address was on the leaflet in the bag
they gave me. Can you send a new lid?

Gordon
"""),
M(16, "rant-hold-music", "en", "support", [],
  "rant about the hotline with no question or request",
  ("Dana Hughes", "dana.h@example.com"), "support", "your phone line",
  """
Forty minutes. Forty minutes of the same eight bars of piano and a voice telling me my call
is important. Then it cut off. I'm not even asking for anything any more, I just want
someone there to know how awful that was.

Dana
"""),
M(17, "rice-cooker-pot-scratched-warranty", "en", "support", ["warranty-policy"],
  "asks whether the peeling coating of the inner pot after 10 months is covered; used only wooden spoons",
  ("Aiko Tan", "aiko.tan@example.com"), "support", "coating coming off inner pot",
  """
Hi,

Our rice cooker is 10 months old and the black coating in the pot is flaking near the
bottom. We only ever use the plastic paddle it came with, never metal. Is this something
you cover, or do I have to just buy a new pot?

Aiko
""", kind="mixed", attach=[("image/png", "pot.png", PNG1)]),
M(18, "hotel-60-kettles-quote", "en", "sales", ["corporate-bulk-purchase"],
  "hotel wants a price for 60 kettles and 60 purifiers",
  ("Victor Hale", "procurement@harbourinn.example"), "sales", "Quotation - 60 rooms",
  """
Dear Sir/Madam,

Harbour Inn is refurbishing 60 guest rooms and would like pricing for one KT-17 kettle and
one AP-400 purifier per room, delivered to Shenzhen in March. Please also confirm whether
you can invoice our company and what the payment terms would be.

Victor Hale
Procurement, Harbour Inn
""", kind="alt"),
M(19, "thanks-but-how-delete-account", "en", "support", ["privacy-data-deletion"],
  "look-alike: starts as a thank-you, ends asking to remove the account and stop the texts",
  ("Oscar Reyes", "oscar.reyes@example.com"), "support", "Thanks + one more thing",
  """
Thanks for sorting the return so fast, the refund arrived today.

Since I no longer own any of your products I'd like my account gone entirely, and please
stop the promo texts - I get three a week. How do I do that?

Oscar
"""),
M(20, "sydney-order-duty-question-sales", "en", "support", ["shipping-international"],
  "sent to sales@: an Australian customer asks who pays the import tax on an order from the international store",
  ("Megan O'Brien", "megan.obrien@example.com.au"), "sales", "Ordering to Sydney",
  """
Hi, I'm in Sydney and want the AP-600 from your international store. Will I get hit with
customs charges at my door, and how long does it take to get here roughly?

Megan
"""),
M(21, "purifier-app-wont-find-5ghz", "en", "support", ["wifi-app-pairing"],
  "new mesh router; the purifier will not join during setup",
  ("Felix Grant", "felix.grant@example.com"), "support", "AP-400 won't join new mesh network",
  """
Hello,

We replaced our broadband router with a mesh system (one network name for everything).
Since then the AP-400 can't be added back in the app - the light blinks fast, the app spins
for two minutes then says failed. Phone is right next to it. Old router worked fine.

Felix
""", kind="alt"),
M(22, "mag-wants-review-unit-press", "en", "pr", ["press-contact"],
  "sent to press@ correctly: a magazine wants a review unit of the S8",
  ("Priya Shah", "priya.shah@homeandtech.example"), "press", "Review unit request - S8",
  """
Hello,

I'm the reviews editor at Home & Tech Monthly. We're planning a robot vacuum group test for
our March issue (on sale 20 Feb) and would like to include the RoboClean S8. Could you
loan us a unit? Happy to return it afterwards.

Priya Shah
Reviews Editor, Home & Tech Monthly
"""),
# --- Chinese -----------------------------------------------------------------------------
M(23, "dehumidifier-tank-light-stops", "zh", "support", ["dehumidifier-no-water"],
  "口语：除湿机一会儿就停，水箱灯一直亮，其实水箱是空的",
  ("周莉", "zhouli88@example.cn"), "support", "抽湿机老是自己停",
  """
你好，

家里那台抽湿机最近很奇怪，开一会儿就不转了，面板上那个水滴形状的灯一直亮着。
我把水箱拿出来看，里面就一点点水，倒掉再塞回去，过十几分钟又停。
是不是哪里坏了？买了一年多。

周莉
""", charset="GB2312", cte="base64"),
M(24, "water-purifier-drip-cabinet", "zh", "support", ["water-purifier-leak"],
  "长故事：橱柜底板泡软了才发现净水器下面在滴",
  ("马建国", "majianguo@example.cn"), "support", "厨房柜子里全是水",
  """
客服你好，

今早去拿洗洁精，一开门，水槽底下那个柜子的底板都泡软了，一摸湿漉漉的。
顺着找过去，是净水器左边那根白色管子的接口在一滴一滴往下掉，机器底下还垫着的那块东西也是湿的。
我先把总阀关了。这个是去年师傅上门装的。现在怎么处理？我自己能弄吗？

马建国 138xxxx5521
""", charset="GBK", cte="quoted-printable"),
M(25, "kettle-child-lock-mom", "zh", "support", ["kettle-not-heating"],
  "替父母问：屏幕亮但烧不了水（童锁或保温设置），没说型号",
  ("刘晓雯", "liuxiaowen@example.com"), "support", "我妈说水壶烧不开",
  """
您好，我给我妈买的你们家的电水壶，她说这两天按了开关屏幕会亮，但是水一直是凉的，
屏幕上还有一个小锁的图案。她年纪大了也说不清楚是不是按到了什么。请问要怎么弄？
""", charset="GB18030", cte="8bit"),
M(26, "wrong-colour-purifier-exchange", "zh", "support", ["exchanges"],
  "发错颜色：订的白色收到灰色，想换",
  ("孙悦", "sunyue@example.cn"), "support", "颜色发错了",
  """
你好，我下单的是白色的 AP-400，今天到货拆开一看是深灰色的，和我家装修完全不搭。
订单号 AC2612033120。能给我换成白色的吗？来回的快递费谁出？
"""),
M(27, "refund-alipay-five-days-support", "zh", "finance", ["refund-timing"],
  "发到 support@：退货已签收五天，支付宝没见到钱",
  ("黄志强", "huangzq@example.cn"), "support", "退的货你们收到了，钱呢",
  """
你好，

上个月买的扫地机退回去了，物流显示 12 月 2 号你们仓库就签收了，到今天五天了，
我支付宝里还是没有看到退款。到底什么时候能退回来？订单 AC2611150082。

黄志强
""", charset="GB2312", cte="8bit"),
M(28, "special-invoice-company-billing", "zh", "finance", ["invoice-vat-special"],
  "公司采购要专票，给了开票信息",
  ("赵会计", "finance@huaxin-tech.example"), "billing", "需要开增值税专票",
  """
您好！

我司于 12 月 3 日在贵公司官网购买除湿机 3 台，订单号 AC2612030561，
因为要做进项抵扣，麻烦开具专用发票，不要普票。开票资料如下：

名称：深圳华信科技有限公司
税号：91440300MA5F000000
地址电话：深圳市南山区科技园 0755-26000000
开户行及账号：招商银行深圳科技园支行 7559 0000 0000 001

谢谢！
赵敏 财务部
""", kind="mixed", attach=[("application/pdf", "开票信息.pdf", pdf("kaipiao xinxi"))],
  charset="GBK", cte="base64"),
M(29, "cancel-double-order", "zh", "support", ["cancel-order"],
  "手滑下了两单一样的，想取消一个",
  ("陈一鸣", "chenym@example.com"), "support", "重复下单了",
  """
在吗？刚才付款的时候网卡了一下，我又点了一次，结果生成了两个一模一样的电饭煲订单，
两笔钱都扣了。我只要一个，另一个还没发货，麻烦帮我撤掉。
AC2612060311 和 AC2612060312
""", charset="UTF-8", cte="8bit"),
M(30, "not-arrived-four-days-sales", "zh", "support", ["order-tracking"],
  "发到 sales@：快递四天不动",
  ("王丽", "wangli_sh@example.cn"), "sales", "快递卡住了",
  """
你好，我 1 号下的单，物流信息停在“已到达杭州转运中心”，已经四天没有任何变化了。
打快递电话一直占线。能不能帮我问一下？订单 AC2612010455。
""", charset="GB18030", cte="quoted-printable", hmode="Q"),
M(31, "hk-login-no-sms", "zh", "support", ["account-password"],
  "广东话：收唔到短信验证码，登入唔到",
  ("何志明", "chiming.ho@example.com.hk"), "support", "登入唔到個App",
  """
你好，我個 App 自己登出咗，之後點都登入唔返。撳咗好多次攞驗證碼，等咗十幾分鐘都冇短訊，
試密碼又話錯，而家仲話要等半個鐘先可以再試。係咪我個戶口有問題？
""", charset="Big5-HKSCS", cte="base64", hcharset="UTF-8"),
M(32, "closing-receipt-thanks-zh", "zh", "support", [],
  "结束语：收到补发的配件了，谢谢",
  ("吴芳", "wufang@example.cn"), "support", "回复：[FD-2612-0420] 少了一个配件",
  """
收到了，缺的那个边刷今天到了，装上了，没问题，谢谢你们。

-----原始邮件-----
发件人: Acme 客服 <support@acme-appliances.example>
发送时间: 2026年12月4日 10:12
收件人: 吴芳 <wufang@example.cn>
主题: [FD-2612-0420] 少了一个配件

""" + quote(ACK_ZH.format(t="FD-2612-0420")), reply_to_id="ack-0420@acme-appliances.example",
  charset="GB2312", cte="quoted-printable"),
M(33, "ozone-free-certificate-presale", "zh", "sales", [],
  "售前：问净化器有没有母婴认证/检测报告，目录里没有",
  ("郑佳", "zhengjia@example.cn"), "support", "净化器给宝宝房用安全吗",
  """
你好，宝宝下个月出生，想给婴儿房买一台 AP-400。
请问这款有没有第三方的母婴级检测报告？会不会产生臭氧？能不能把报告发我看一下？
""", charset="GBK", cte="8bit"),
M(34, "airfryer-other-brand", "zh", "support", [],
  "别家的空气炸锅，不是我们的产品",
  ("钱伟", "qianwei@example.cn"), "support", "空气炸锅不热了",
  """
你好，我家的空气炸锅用了半年，最近炸东西要四十分钟才熟，以前十五分钟就够了。
牌子是“厨小宝”，说明书上写的售后邮箱我找不到了，在网上搜到你们这个地址。帮忙看看？
""", charset="GB18030", cte="base64"),
M(35, "rant-app-ads", "zh", "support", [],
  "吐槽 App 开屏广告，没有问题要回答",
  ("林涛", "lintao@example.com"), "support", "你们的App越来越难用",
  """
每次打开 App 先来五秒广告，关也关不掉，开个净化器还要先看广告，真服了。
以前多简洁，现在首页全是商城推荐。就是说一下，没别的。
""", kind="html", charset="UTF-8", cte="quoted-printable"),
M(36, "fapiao-forgot-at-checkout", "zh", "finance", ["invoice-request"],
  "下单时忘了要发票，现在要报销",
  ("何静", "hejing@example.cn"), "support", "发票的事",
  """
您好，我上周买的水壶，付款的时候没勾要发票，现在单位说可以报销。
还能补吗？抬头写个人名字就行。订单号 AC2612020988。
""", charset="GBK", cte="quoted-printable", quoted_name=True),
M(37, "robot-carpet-returns-day3", "zh", "support", ["returns-7-day"],
  "不想要了：买了第三天，觉得太吵",
  ("曹磊", "caolei@example.cn"), "support", "扫地机想退",
  """
你好，前天收到的 V5，用了两次觉得声音太大，晚上根本没法开，孩子一直被吵醒。
东西没坏，包装都还在，我想退了。怎么操作？运费要我出吗？
""", charset="GBK", cte="base64"),
M(38, "gift-wp800-install-who", "zh", "support", ["installation-booking"],
  "净水器送到了，谁来装、要不要钱",
  ("许明", "xuming@example.cn"), "support", "净水器到了，怎么装",
  """
您好，WP-800 今天送到了，箱子还没拆。我家是老房子，水槽下面空间有点小。
请问是你们派人来装吗？收不收费？大理石台面要打孔的话怎么算？
""", kind="alt", charset="UTF-8", cte="base64"),
M(39, "price-dropped-day-9", "zh", "support", ["price-protection"],
  "发到 billing@：买了九天降了八十块",
  ("邓晓", "dengxiao@example.cn"), "billing", "刚买就降价",
  """
我 11 月 29 号 699 买的除湿机，今天看官网同一款变成 619 了，也不是秒杀，
就是普通价格。差了八十块，能退给我吗？
""", charset="GB2312", cte="base64"),
M(40, "campus-intern-question-support", "zh", "hr", ["careers"],
  "发到 support@：大三学生问暑期实习什么时候开始招",
  ("冯雪", "fengxue@example.edu.cn"), "support", "想问一下实习",
  """
老师您好，我是一名大三学生，学工业设计，很喜欢你们的产品外观。
请问明年暑假有没有实习机会？大概什么时候开始报名？谢谢！
""", charset="UTF-8", cte="8bit"),
M(41, "rice-cooker-e2-beep", "zh", "support", ["rice-cooker-e1", "repair-booking"],
  "电饭煲报 E3，擦过了还是报，要修",
  ("杨帆", "yangfan@example.cn"), "support", "电饭煲一直嘀嘀响 E3",
  """
你好，电饭煲煮到一半开始嘀嘀嘀地叫，屏幕上显示 E3，拔了电重新插还是这样。
底下我也擦干净了。是不是要寄回去修？还在保修期里。
""", charset="GB18030", cte="8bit"),
# Traditional: Taiwan
M(42, "tw-ezway-parcel-held", "zh", "support", ["shipping-hk-macau-taiwan"],
  "台湾：包裹被海关卡住，要实名认证",
  ("陳怡君", "yijun.chen@example.com.tw"), "support", "包裹卡在海關",
  """
您好，我在台灣訂了一台空氣清淨機，物流顯示已經到桃園好幾天了，
一直停在「待清關」。我朋友說可能要做什麼認證，可是我沒有收到任何簡訊。請問我該怎麼辦？
""", charset="Big5", cte="base64", hcharset="Big5"),
M(43, "tw-mainland-kettle-110v", "zh", "sales", ["overseas-voltage"],
  "台湾：买之前问大陆官网的水壶在台湾能不能用",
  ("林志豪", "zhihao.lin@example.com.tw"), "sales", "大陸版熱水壺在台灣能用嗎",
  """
你好，大陸官網的熱水壺比較便宜，我想請朋友幫我帶一台回台北。
請問插在台灣家裡的插座可以直接用嗎？還是要另外買什麼東西？
""", charset="Big5", cte="quoted-printable", hcharset="Big5"),
M(44, "tw-thanks-close", "zh", "support", [],
  "台湾：结束语，问题已解决",
  ("黃雅婷", "yating.huang@example.com.tw"), "support", "Re: [FD-2612-0502] 濾網燈",
  """
謝謝你們的回覆，照著做之後燈已經熄了，一切正常。這封信不用再回了，祝工作順利！

雅婷
""", reply_to_id="ack-0502@acme-appliances.example", charset="Big5", cte="8bit", hcharset="Big5"),
# Traditional: Hong Kong Cantonese
M(45, "hk-robot-keeps-getting-stuck", "zh", "support", ["vacuum-stuck-errors"],
  "广东话：部机成日卡喺梳化底",
  ("陳嘉欣", "kayan.chan@example.com.hk"), "support", "部吸塵機成日卡住",
  """
你好，我部掃地機械人成日鑽入梳化底然後出唔返嚟，一日要救佢三四次，
有時仲會喺餐枱啲凳腳度兜嚟兜去。有冇辦法叫佢唔好入去？
""", charset="UTF-8", cte="base64"),
M(46, "hk-payme-paid-twice-sales", "zh", "finance", ["payment-problems"],
  "广东话：PayMe 俾咗两次钱，订单仲显示未付款",
  ("梁家豪", "kaho.leung@example.com.hk"), "sales", "俾咗兩次錢",
  """
你好，我琴晚用 PayMe 買抽濕機，第一次俾完錢個網頁話失敗，我再俾多次，
而家 PayMe 紀錄有兩筆錢，但係張單仲話未付款。咁點算？我唔想俾多咗錢。
""", charset="UTF-8", cte="quoted-printable"),
# --- mixed -------------------------------------------------------------------------------
M(47, "s8-mop-smell-and-order-pads", "mixed", "support", ["filters-spare-parts"],
  "S8 的 mop pad 有味道，想买新的替换",
  ("Kelly 吴", "kelly.wu@example.com"), "support", "S8 mop pads 哪里买",
  """
Hi，我的 S8 用了半年，拖布已经洗不干净了，一股味道。想买几片新的 mop pad 替换，
官网 search 了半天没找到，是不是要用 model number 搜？另外 side brush 也想多备两个。
""", charset="UTF-8", cte="8bit"),
M(48, "firmware-stuck-robot-mixed", "mixed", "support", ["firmware-update"],
  "机器人升级卡住，App 一直显示 updating",
  ("Jason 潘", "jason.pan@example.cn"), "support", "V5 update 卡住了",
  """
你好，昨晚 App 提示 V5 有新版本，我点了 update，今天早上起来看还是显示 updating 32%，
机器在 dock 上面灯一直闪。能不能直接 unplug 重启？怕变砖 (brick)。
""", charset="GB18030", cte="quoted-printable"),
M(49, "courier-broke-box-cracked-tank", "mixed", "support", ["damaged-on-arrival"],
  "到货水箱裂了，附照片（中文文件名）",
  ("Vivian 钟", "vivian.zhong@example.com"), "support", "dehumidifier 到货就裂了",
  """
Hi 客服，

今天中午收到的 dehumidifier，外箱一个角压扁了，打开发现水箱侧面有一条 crack，
倒水进去会漏。照片附上了，快递面单也拍了。我要 replacement，不想等太久，please arrange pickup ASAP。

Vivian
""", kind="mixed", attach=[("image/png", "水箱裂缝.png", PNG2), ("image/png", "面单.png", PNG3)],
  charset="UTF-8", cte="base64"),
M(50, "wechat-pay-failed-money-gone", "mixed", "finance", ["payment-problems"],
  "发到 support@：WeChat Pay 扣了钱订单显示 unpaid",
  ("Leo 高", "leo.gao@example.cn"), "support", "payment 扣钱了但是订单 unpaid",
  """
你好，刚才用 WeChat Pay 付 AP-600，微信那边已经扣了 1299，但是 order 页面还是 unpaid，
让我重新 pay。我不敢再付了，怎么办？
""", charset="GBK", cte="base64"),
M(51, "corporate-gifts-annual-party-mixed", "mixed", "sales", ["corporate-bulk-purchase"],
  "年会礼品 80 台水壶要报价",
  ("Amy 沈", "amy.shen@example-hr.cn"), "support", "annual party gifts - 80 kettles",
  """
Hello，我们公司年会想采购 80 台 KT-17 做员工礼品，1 月 10 号前要送到上海。
请问有没有 corporate price？能开公司发票吗？麻烦给个 quotation。

Amy Shen | HR & Admin
""", kind="alt", charset="UTF-8", cte="quoted-printable"),
M(52, "malaysia-distributor-press", "mixed", "sales", ["dealer-partnership"],
  "发到 press@：马来西亚公司想做代理",
  ("Daniel 黄", "daniel@klhome.example.my"), "press", "Distribution in Malaysia 代理合作",
  """
Hi Acme team,

我们是吉隆坡的一家 home appliance retailer，有 12 家门店和 Shopee 旗舰店。
想了解一下在 Malaysia 做 distributor 的条件，需要什么 requirements？

Best regards,
Daniel Wong 黄
KL Home Living Sdn Bhd
"""),
M(53, "kt17-serial-recall-check", "mixed", "support", ["safety-recall"],
  "只给了序列号，问是不是在召回范围",
  ("Iris 邱", "iris.qiu@example.com"), "support", "KT17-2605xxxx 有问题吗",
  """
你好，看到新闻说 KT-17 有 recall，我翻过来看了一下 base 底下的 serial 是 KT17-2605-88214。
是不是我这台也要换？现在还能继续用吗？Please check for me.
""", charset="UTF-8", cte="8bit"),
M(54, "huabei-installments-presale-billing", "mixed", "sales", ["payment-methods"],
  "发到 billing@：买前问能不能花呗分期",
  ("Tony 贺", "tony.he@example.cn"), "billing", "WP-800 可以分期吗",
  """
Hi，想买 WP-800，价格有点高，请问可以用花呗 instalment 吗？分几期？有没有 interest？
另外 credit card 分期支持哪些银行？Thanks a lot.
""", charset="GB2312", cte="8bit"),
M(55, "student-esports-sponsor", "mixed", "pr", [],
  "学生社团求赞助，发到 sales@",
  ("Kevin 任", "kevin.ren@example.edu.cn"), "sales", "Sponsorship 赞助合作邀请",
  """
您好！我们是某大学的 Robotics Club，明年三月要去参加全国机器人比赛，
想邀请 Acme 成为我们的 sponsor，可以在队服和 booth 上放 logo。
附件是我们的 proposal，期待回复！

Kevin Ren
""", kind="mixed", attach=[("application/pdf", "赞助方案 proposal.pdf", pdf("proposal"))],
  charset="UTF-8", cte="base64"),
M(56, "bilingual-leave-notice", "mixed", "support", [],
  "中英双语休假自动回复，只有 X-Autoreply",
  ("Grace 林", "grace.lin@example-logistics.cn"), "support", "自动回复 Out of Office",
  """
您好，我 12 月 8 日至 12 月 15 日休假，期间不能及时回复邮件，急事请联系 13800000000。
Hi, I am on leave from 8 to 15 December. For urgent matters please call the number above.
""", headers=["X-Autoreply: yes"], charset="GB18030", cte="base64"),
M(57, "ap600-vs-ap400-noise-bedroom", "mixed", "sales", ["energy-noise-specs", "choosing-a-model"],
  "买前问：卧室 20 平，夜里开哪款更安静，AP-400 还是 AP-600",
  ("Cindy 韩", "cindy.han@example.com"), "sales", "AP-400 or AP-600 for bedroom",
  """
Hi，卧室大概 20 平方，想晚上睡觉开着。AP-400 和 AP-600 哪个更适合？
最关心 noise，晚上开 sleep mode 大概多少 dB？我睡眠很浅，a light sleeper。
""", charset="UTF-8", cte="quoted-printable"),
M(58, "fixed-it-myself-router", "mixed", "support", [],
  "自己解决了：把路由器的 5G 关掉就连上了",
  ("Eric 孔", "eric.kong@example.com"), "support", "Re: [FD-2612-0577] 连不上 WiFi",
  """
不用麻烦了，我把 router 的 5G 先关掉，purifier 马上就连上了，现在 app 里可以控制。thanks!

Eric

On Sat, Dec 5, 2026 at 14:20, Acme Support <support@acme-appliances.example> wrote:
""" + quote(ACK_ZH.format(t="FD-2612-0577")), reply_to_id="ack-0577@acme-appliances.example",
  charset="UTF-8", cte="8bit"),
M(59, "rice-cooker-exchange-and-invoice", "mixed", "support", ["exchanges", "invoice-request"],
  "两个问题：电饭煲第八天坏了要换新；顺便要电子发票",
  ("Yvonne 方", "yvonne.fang@example.cn"), "support", "电饭煲坏了 + invoice",
  """
你好，

电饭煲买了八天，今天突然按什么键都没反应，display 也不亮，换了插座也一样。
我想直接换一台新的 replacement，不要 repair。订单 AC2611300771。

另外之前下单没选 invoice，能不能顺便给我开一张电子的，抬头就是我名字。

Yvonne
""", kind="alt", charset="GB18030", cte="base64"),
M(60, "change-address-before-ship", "mixed", "support", ["change-order-address"],
  "还没发货，要改收货地址（搬家）",
  ("Ben 蒋", "ben.jiang@example.com"), "support", "change delivery address 急",
  """
Hi，刚下单的 AP-400 地址写成旧家了，我上周刚 move 到浦东。订单 AC2612070145，
看 status 还是 not shipped yet，麻烦帮我改成新地址：上海市浦东新区张杨路 1000 号 2 栋 1801。
""", charset="UTF-8", cte="base64"),
]

# --- labels, counts, check: eval/dev/make.py's, pointed at this set -------------------------

dev.point_at(HERE, MAILS, "dev4 (tuning)")


def wording_problems():
    """A dev4 mail must not copy a run of words from the catalog or from an eval/dev,
    eval/dev2 or eval/dev3 mail
    (quoted acknowledgements excepted: they are ours)."""
    dev2 = _load("dev2make", os.path.join(HERE, "..", "dev2", "make.py"))
    dev3 = _load("dev3make", os.path.join(HERE, "..", "dev3", "make.py"))
    sources = [("faq.yaml", open(dev.FAQ, encoding="utf-8").read())]
    sources += [("eval/dev " + dev.fname(m), m["body"]) for m in DEV_MAILS]
    sources += [("eval/dev2 " + dev.fname(m), m["body"]) for m in dev2.MAILS]
    sources += [("eval/dev3 " + dev.fname(m), m["body"]) for m in dev3.MAILS]
    tickets = {t for m in MAILS for t in re.findall(r"FD-\d{4}-\d{4}", m["body"])}
    own = set()
    for ack in (ACK_EN, ACK_ZH):
        for t in tickets:
            own |= dev.shingles(ack.format(t=t))
    return dev.wording_problems(sources, own)


if __name__ == "__main__":
    dev.main_with_wording(wording_problems)
