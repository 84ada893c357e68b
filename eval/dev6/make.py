#!/usr/bin/env python3
"""Generate the eval/dev6 mail set: NNN-slug.eml files and labels.yaml.

    python3 eval/dev6/make.py          # (re)write the .eml files, labels.yaml and the counts in README.md
    python3 eval/dev6/make.py --check  # verify the files on disk, the labels, the counts and the wording

Written by the Frontdesk project from ../../../shared/eval/faq.yaml and the routing policy in
../shared/eval/README.md only, blind to public-b, to the public/ mails and to the Go code of
faq/, rules/ and learn/ (only eval/dev5's README and the make.py mechanics were read). The
encoding, building, labelling and checking code is eval/dev/make.py's, loaded as a module and
pointed at this directory and this MAILS list; this file adds the mails and a wording check (no
long run of words shared with the catalog or with eval/dev to eval/dev5).
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
PNG1 = png(18, 12, 133)
PNG2 = png(22, 16, 7)
PNG3 = png(12, 20, 250)

ACK_EN, ACK_ZH, quote = dev.ACK_EN, dev.ACK_ZH, dev.quote


def M(n, slug, lang, dept, faq, note, frm, to, subject, body, **kw):
    """One mail: its label and what it looks like. Date and Message-ID are derived from n
    unless given; the body charset and transfer encoding default by language."""
    tz = datetime.timezone(datetime.timedelta(hours=(1, -5, 8, 0)[n % 4] if lang == "en" else 8))
    when = datetime.datetime(2026, 12, 1 + (n * 13) % 28, 7 + (n * 7) % 15, (n * 29) % 60, (n * 41) % 60, tzinfo=tz)
    dom = frm[1].split("@")[1]
    m = dict(n=n, slug=slug, lang=lang, dept=dept, faq=faq, note=note, to=to, subject=subject, body=body,
             date=email.utils.format_datetime(when), msgid="%08x.d6%03d@%s" % (zlib.crc32(slug.encode()), n, dom))
    m["from"] = frm
    if dev.is_ascii(body) and "charset" not in kw:
        m["charset"], m["cte"] = "US-ASCII", "7bit"
    else:
        m["cte"] = ("base64", "8bit", "quoted-printable")[n % 3]
    m.update(kw)
    return m


MAILS = [
M(1, "s8-too-big-for-flat", "en", "support", ["returns-7-day"],
  "change of mind four days after delivery: the S8 and its station do not fit; wants to send it back for the money",
  ("Hannah Okafor", "hannah.okafor@example.co.uk"), "support", "RoboClean S8 - not going to work for us",
  """
Hello

So the RoboClean S8 turned up on Thursday and honestly it's a lovely machine, no complaints
about it as such. Problem is us. The base station is a lot taller than I pictured from the
photos and there is literally nowhere in our one-bed flat to put it where it isn't in the way
of a door or the radiator. My partner walked into it twice already.

We've decided we'd rather have the money than the robot. It has done exactly one run, the box
and all the foam bits are still here, the spare brush never came out of its bag. What do I
need to do to send it back

Order AC2612040173

Hannah
"""),
M(2, "wp800-signed-for-not-here", "zh", "support", ["order-tracking"],
  "净水器物流显示已签收但本人没收到；寄到了 sales@",
  ("邹建国", "zoujg_77@example.cn"), "sales", "净水器显示签收了 人没收到",
  """
你们好

上周买的 WP-800 净水器，订单号 AC2612030456。今天打开App一看物流写着昨天下午已签收，
可我昨天一整天都在家，门口没有，物业前台和快递柜我都问过了，都说没有这个件。
打快递员电话一直没人接。

四千多块钱的东西就这么没了，麻烦你们查一下到底送哪去了

邹先生 139****2207
""", charset="GBK", cte="base64"),
M(3, "rice-cooker-refund-card-reply", "en", "finance", ["refund-timing"],
  "replies to our acknowledgement: returned rice cooker reached the warehouse nine days ago, nothing on the credit card yet",
  ("Marcus Lindqvist", "marcus.lindqvist@example.se"), "support", "Re: returned rice cooker",
  """
Hi again,

Following up on the below. The courier tracking for the return says your warehouse got the
rice cooker on the 28th, that's nine days ago now and there's still nothing on my Visa.
The after-sales page just says "processing". Not trying to be difficult but I'd like to know
when the money is actually coming, it was not a cheap cooker.

Marcus

---- Acme Care's auto-acknowledgement, 01/12/2026 09:12, below ----
""" + quote(ACK_EN.format(t="FD-2612-0811")), reply_to_id="ack-0811@acme-appliances.example"),
M(4, "tw-dehumidifier-rattle-day-five", "zh", "support", ["exchanges"],
  "台湾：除湿机收到第五天就有异音、不太干；想直接换一台新的（繁体）",
  ("林佩君", "peijun.lin@example.com.tw"), "support", "除濕機才用五天就有怪聲",
  """
您好，

我在台灣官網買的除濕機，本月一號收到，用到第五天開始出現很大的「喀啦喀啦」聲，
像是裡面有東西鬆掉，而且房間濕度計一直停在七十幾，跟剛買時差很多。

才買不到一星期就這樣，實在不想送修等很久，希望可以直接寄一台新的給我，
舊的你們再來收。影片我有拍，需要的話可以回信給我。

訂單編號 TW2612010088
林小姐
""", charset="Big5", cte="quoted-printable", hcharset="Big5"),
M(5, "thanks-for-quick-repair", "en", "support", [],
  "praise: the repaired robot came back quickly and works; asks nothing",
  ("Doris Whitfield", "doris.w@example.net"), "support", "V5 is back!",
  """
Just a note to say my V5 came back from your repair people yesterday, a full week sooner
than I expected, and it is running like new. The courier was very polite too.

Well done all. I'll be recommending you at bridge club.

Doris Whitfield (Mrs)
"""),
M(6, "purifier-mesh-router-pairing", "mixed", "support", ["wifi-app-pairing"],
  "新换的 mesh 路由器以后 AP-400 加不进 app；其实是 2.4G/5G 合在一个名字下",
  ("Jason 黄", "jason.huang.sz@example.com"), "support", "AP-400 加不进 Acme Home",
  """
Hi 客服,

家里刚换了一套 mesh 路由器 (三个节点那种)，之后卧室那台 AP-400 就掉线了。
删掉设备想重新添加，app 每次转到 "connecting" 大概一分钟就报 failed。
路由器后台只有一个 WiFi 名字，看不到单独的 2.4G 选项。
手机已经放在净化器旁边了，location 权限也开了。

还有什么办法能让它连上

Jason
""", charset="UTF-8", cte="quoted-printable"),
M(7, "ap400-or-ap600-open-plan", "en", "sales", ["choosing-a-model"],
  "pre-sale: open-plan room of about 42 m2, torn between the two purifier sizes",
  ("Rebecca Tan", "rebecca.tan@example.sg"), "sales", "purifier for a big open room",
  """
Hi,

Bit of background: my son has a dust mite allergy and we've just knocked the kitchen and the
living room into one space, roughly 42 m², with high-ish ceilings. The old
purifier we had (not yours) was for a bedroom and is clearly out of its depth now.

I'm looking at your AP-400 and AP-600 and honestly can't work out from the website whether
the smaller one would cope if we run it on high, or whether I need to spend the extra. Would
rather buy once and get it right.

Thanks
Rebecca
""", charset="UTF-8", cte="quoted-printable"),
M(8, "fapiao-forgot-company-title", "zh", "finance", ["invoice-request"],
  "下单时没选开票，现在报销要公司抬头的电子发票；寄到了 support@",
  ("孙莉", "sunli@hzmingde.example.cn"), "support", "报销用",
  """
您好，我上个月买的电饭煲（订单号AC2611220915）下单的时候没勾开发票，
现在公司行政说员工福利要凭票报销，必须是公司抬头，
杭州明德教育科技有限公司，税号91330106MA2KXX7Q3R。
麻烦帮忙开一张，发到这个邮箱就行。谢谢
""", charset="GB18030", cte="base64"),
M(9, "podcast-wants-product-lead", "en", "pr", ["press-contact"],
  "a podcast host wants to interview someone from product; sent to support@",
  ("Tom Reilly", "tom@kitchencounterpod.example"), "support", "Interview request - Kitchen Counter podcast",
  """
Hey folks,

I host Kitchen Counter, a weekly show about home tech (about 18k listeners, mostly UK and
Ireland). We're doing an episode in January on smart kettles and why anyone would want one,
and I'd love 30 minutes with someone on your product side, recorded over Zoom.

Not sure this is the right inbox, apologies if not - it was the only address on the site
I could find. Happy to send past episodes.

Cheers,
Tom Reilly
Kitchen Counter
"""),
M(10, "hk-dehumidifier-spring-damp", "zh", "support", ["dehumidifier-no-water"],
  "香港回南天：抽湿机开一晚水箱几乎冇水、成日停；问系咪坏咗（广东话）",
  ("何詠詩", "wingsze.ho@example.com.hk"), "support", "抽濕機冇乜水",
  """
哈囉，

屋企部抽濕機放喺書房，晚晚開通宵，但朝早起身個水箱得幾啖水，
同之前夏天一晚半桶差好遠。仲有佢好似開一陣停一陣，個風扇轉住但冇乜聲。
書房冇開暖爐，呢排夜晚得十度八度。

想知係咪部機有問題，定係我用得唔啱。

Wing
""", charset="Big5-HKSCS", cte="base64", hcharset="UTF-8"),
M(11, "kt17-lights-up-wont-boil", "en", "support", ["kettle-not-heating"],
  "the KT-17 lights up but does not boil; serial outside the recall range; a keep-warm setting in the app",
  ("Ahmed Siddiqui", "ahmed.sidd@example.com"), "support", "KT-17 kettle display on, water stays cold",
  """
hi

my KT-17 (serial KT17-2609-11842 so not one of the recall ones, I checked) has stopped
boiling. the screen comes on fine and shows the temp, the little ring glows, but the water
just sits there. 20 mins and it was lukewarm at best

the only thing i changed recently was fiddling with the app to make it hold tea temperature
in the mornings, set it to 80 or so. no idea if thats related

ahmed
"""),
M(12, "wifi-sorted-never-mind", "zh", "support", [],
  "回复我们的确认信：配网问题自己解决了，不用再回",
  ("钱晓峰", "qianxf@example.cn"), "support", "回复：除湿机连不上网",
  """
不好意思，刚才那封不用处理了，重启了一下路由器已经连上了。谢谢

钱晓峰

------------------ 原始邮件 ------------------
发件人: "Acme 客服中心" <support@acme-appliances.example>
主题: 除湿机连不上网

""" + quote(ACK_ZH.format(t="FD-2612-0823")), reply_to_id="ack-0823@acme-appliances.example",
  charset="UTF-8", cte="base64"),
M(13, "cv-customer-service-lead", "en", "hr", [],
  "application with a CV attached for an advertised customer service role, sent to jobs@",
  ("Olivia Grant", "olivia.grant.cv@example.com"), "jobs", "Application - Customer Service Team Lead (Shanghai)",
  """
Dear Hiring Team,

I'm attaching my CV for the Customer Service Team Lead opening in Shanghai.

I have six years in consumer electronics support, the last three leading a bilingual team of
twelve at an online retailer, where we brought first-reply time under two hours. I speak
English and conversational Mandarin and I am based in Shanghai with a valid work permit.

Happy to talk whenever suits.

Best regards,
Olivia Grant
+86 150 0000 3391
""", kind="mixed", attach=[("application/pdf", "Olivia_Grant_CV.pdf", pdf("Olivia Grant - CV"))]),
M(14, "v5-error-2-rug-tassels", "zh", "support", ["vacuum-stuck-errors"],
  "扫地机每次扫到客厅地毯就报错误2停机",
  ("马骁", "maxiao_hz@example.cn"), "support", "V5老是报错2",
  """
客服你好：

扫地机V5，用了快一年。最近每天都要报好几次“错误2”然后就停在客厅地毯边上不动，
得我过去把它拎起来。地毯是带流苏的那种，去年买机器的时候就有，以前好像没这么频繁。

上次报错我把机器翻过来看，底下那根滚刷上缠了一大团头发和线头，我家两个女儿长头发。

是机器坏了还是我得换地毯

马骁
""", charset="GB18030", cte="8bit"),
M(15, "ap600-card-taken-twice", "en", "finance", ["payment-problems"],
  "two identical charges on the card for one purifier order; sent to sales@",
  ("Grace Adeyemi", "grace.adeyemi@example.com"), "sales", "charged twice?? AP-600",
  """
Hello,

I bought an AP-600 last night. The first time I pressed pay the page froze so I tried again
and it went through. This morning my banking app shows TWO payments of the same amount to
Acme, both "completed", but I only have one order (AC2612080731).

I need the second one back please, that's rent money.

Grace Adeyemi
Sent from my iPhone
"""),
M(16, "purifier-cracked-housing-photos", "mixed", "support", ["damaged-on-arrival"],
  "刚到的 AP-600 外壳有一道 crack，外箱也压坏了；附照片",
  ("Lily 陈", "lily.chen.bj@example.com"), "support", "AP-600 到货外壳裂了 (photos attached)",
  """
Hi,

今天中午签收的 AP-600，拆开发现机器右侧外壳有一条大概 5cm 的 crack，
外箱那个角也是凹进去的，应该是运输路上被压了。
照片附上：一张是机器，一张是外箱和快递面单。
泡沫和箱子我都还留着没扔。

Please handle this asap, thanks

Lily
订单 AC2612070318
""", kind="mixed", attach=[("image/png", "crack.png", PNG1), ("image/png", "外箱.png", PNG2)],
  charset="UTF-8", cte="base64"),
M(17, "office-30-purifiers-quote", "zh", "sales", ["corporate-bulk-purchase"],
  "公司新办公室要采购约三十台净化器，问企业价和报价单；寄到了 support@",
  ("郑海燕", "zhenghy@xinyuanlaw.example.cn"), "support", "采购咨询",
  """
您好：

我司（成都新源律师事务所）明年一月搬新办公室，行政这边计划给每个办公室和会议室
配一台空气净化器，初步统计三十台左右，型号倾向 AP-400。

想了解一下批量买有没有企业价格，能否出正式的报价单和合同，我们走对公付款。
送货地址在成都高新区。

郑海燕
行政部
028-8888 0000
""", charset="GBK", cte="quoted-printable",
  cc=["=?GBK?B?%s?= <wangq@xinyuanlaw.example.cn>" % __import__("base64").b64encode("王强".encode("gbk")).decode()]),
M(18, "mailer-daemon-bounce", "en", "support", [],
  "a mail server's delivery failure notice for one of our replies; nobody to answer",
  ("Mail Delivery System", "MAILER-DAEMON@mx2.example-mailhost.net"), "support",
  "Undelivered Mail Returned to Sender",
  """
Remote server mx2.example-mailhost.net rejected the message.

Your message to k.wong1979@example-mailhost.net couldn't be handed over.
k.wong1979 wasn't found at example-mailhost.net. Original headers follow.

<k.wong1979@example-mailhost.net>: host mx2.example-mailhost.net[198.51.100.20]
    said: 550 5.1.1 <k.wong1979@example-mailhost.net>: Recipient address rejected:
    User unknown in virtual mailbox table
""", headers=["Auto-Submitted: auto-replied"]),
M(19, "tw-taobao-rice-cooker-110v", "zh", "support", ["overseas-voltage"],
  "台湾：托人从大陆带回的电饭煲，问在台湾家里插电能不能用（繁体）",
  ("張雅婷", "yating.chang@example.com.tw"), "support", "大陸買的電子鍋在台灣可以用嗎",
  """
不好意思打擾，

我姊姊上個月去上海出差，幫我在你們的大陸官網買了一台電子鍋帶回台北，
盒子上寫 220V，插頭是三個扁腳的那種。

我家這邊插座都是一般的，想問是不是買個轉接頭就可以直接煮了，
還是會有問題？還沒拆封，怕一插就壞掉。

謝謝
雅婷
""", charset="Big5", cte="base64", hcharset="Big5"),
M(20, "moved-flat-change-delivery", "en", "support", ["change-order-address"],
  "moving house before an unshipped order goes out; wants it delivered to the new flat; sent to billing@",
  ("Priyanka Shah", "priyanka.shah@example.in"), "billing", "order AC2612090244",
  """
Hi,

Our move got brought forward and we hand back the keys on Friday, so the dehumidifier I
ordered yesterday (AC2612090244, still says "awaiting shipment") would end up at an empty
flat. New place is Room 1203, Building 6, Lane 88 Hongmei Road, Minhang, Shanghai. Same
phone number.

Can that be sorted before it goes out

Thanks, Priyanka
"""),
M(21, "hk-ordered-two-by-mistake", "zh", "support", ["cancel-order"],
  "香港：手快落咗两张一样嘅单，想取消其中一张（广东话）",
  ("梁志強", "chikeung.leung@example.com.hk"), "support", "落多咗張單",
  """
你好，

琴晚用手機買電水壺，撳完付款個網頁轉極都唔郁，我以為唔成功又買多次，
點知今朝收到兩個確認電郵，兩張單一模一樣，仲未寄出。
我只係要一個，另一張唔該幫我搞咗佢，錢退返張信用卡。

單號 HK2612080115 同 HK2612080117

梁先生
""", charset="Big5-HKSCS", cte="quoted-printable", hcharset="UTF-8"),
M(22, "s8-homekit-siri", "en", "sales", [],
  "pre-sale: whether the S8 works with Apple Home and Siri; the catalog says nothing about smart-home platforms",
  ("Felix Wagner", "felix.wagner@example.de"), "sales", "S8 + Apple Home",
  """
Hello,

Thinking about the S8. Everything else in our place runs through Apple Home and I'd like to
be able to say "Hey Siri, vacuum the kitchen" rather than open yet another app. Matter
support would also do. Couldn't find this on the product page.

Felix
"""),
M(23, "fapiao-tax-id-typo", "mixed", "finance", ["invoice-correction"],
  "电子发票上税号错了一位，财务退回，要换开；寄到了 support@",
  ("Wendy 吴", "wendy.wu@brightpath-trading.example.cn"), "support", "invoice 税号错了 need reissue",
  """
Hi Acme team,

上周收到的电子发票 (order AC2612010602)，税号最后两位写成了 "Q3"，
我们正确的是 91310000MA1FL5XK3Q，finance 那边说对不上不能入账，退回来了。
麻烦作废重新开一张，抬头不变：上海明途贸易有限公司。

Thanks,
Wendy Wu
Accounts Payable | Brightpath Trading
""", charset="UTF-8", cte="8bit", quoted_name=True),
M(24, "wp800-cabinet-floor-wet", "en", "support", ["water-purifier-leak"],
  "water under the sink from the WP-800; photo attached; long backstory about the cabinet",
  ("Sophie Marchand", "sophie.marchand@example.fr"), "support", "WP-800 water everywhere under sink",
  """
Hello,

Apologies in advance, this is going to be a long one.

We had the WP-800 put in about two months ago when we redid the kitchen. It has been great,
the kids actually drink water now. This morning I went to get a bin bag from the cupboard
under the sink and the bottom of the cabinet was soaked, the chipboard has gone soft and
swollen at the front edge. There's a slow drip coming from where one of the white tubes
goes into the unit, on the left side. I've put a tray under it and switched off the little
tap on the cold pipe for now, which seems to have stopped it.

My husband wants to pull the tube out and push it back in but I’d rather not make it worse.
I have attached a photo. The cabinet is a separate problem, I know.

Best wishes,
Sophie Marchand
""", kind="mixed", attach=[("image/png", "under_sink.png", PNG3)], charset="UTF-8", cte="quoted-printable"),
M(25, "ap400-red-light-after-new-filter", "zh", "support", ["purifier-filter-light"],
  "AP-400 换了新滤网，那个红灯还是一直亮",
  ("周婷", "zhouting0312@example.cn"), "support", "净化器换了滤网灯还亮",
  """
你好

家里的AP-400前两天提示换滤网，我在你们商城买了新的换上了，
结果红灯到现在还亮着，按了半天滤网那个位置也没反应。
是不是没装对？后盖我是扣上了的。

周婷
""", charset="UTF-8", cte="quoted-printable"),
M(26, "press-piece-published", "en", "pr", [],
  "a journalist says the article with our statement is out and thanks the team; nothing to answer",
  ("Ines Carvalho", "ines.carvalho@homeandtechweekly.example"), "press", "Piece is live - thanks",
  """
Hi both,

Quick one to say the roundup went live this morning and your comments on the kettle base
are in it, word for word as agreed. Link below if you want to share it internally.

https://homeandtechweekly.example/2026/12/smart-kettles-winter-roundup

Thanks again for turning it round so fast on a Friday.

Ines

--
Ines Carvalho | Senior Reporter | Home & Tech Weekly
""", kind="alt"),
M(27, "hk-rice-cooker-e1-beeping", "zh", "support", ["rice-cooker-e1", "repair-booking"],
  "香港：电饭煲一开就嘀嘀声显示 E1，煮唔到饭（广东话）",
  ("黃美玲", "meiling.wong@example.com.hk"), "support", "電飯煲E1",
  """
你好，

今晚煮飯，撳咗開始之後個電飯煲「嘀嘀嘀」咁響，個mon度出咗個E1，
之後點撳都冇反應，飯都冇得煮，今晚要叫外賣。
個內膽我啱啱洗完，可能仲有少少水喺外面，唔知有冇關係。

係咪要拎去整？用咗都未夠半年。

Mandy
""", charset="Big5-HKSCS", cte="8bit", hcharset="UTF-8"),
M(28, "s8-update-stuck-47", "en", "support", ["firmware-update"],
  "the S8's update in the app has been stuck at 47% for an hour; afraid to unplug",
  ("Liam O'Connell", "liam.oconnell@example.ie"), "support", "S8 update frozen",
  """
The app flagged a new update for the S8 so I hit it before going out. Came back an
hour later, still 47%, light on the robot blinking away. Is it bricked if I pull the plug on
the station? Don't want to make it worse.

Liam
"""),
M(29, "air-fryer-not-sold", "zh", "sales", [],
  "问有没有空气炸锅卖，想和电饭煲一起买；商城没有这个品类",
  ("胡静", "hujing_cd@example.cn"), "sales", "有空气炸锅吗",
  """
你好，我家电饭煲和电水壶都是你们家的，用着挺好，想再配一个空气炸锅，
在商城里翻了半天没找到，是没有做这个产品吗？有的话准备双十二一起下单。
""", charset="GBK", cte="8bit"),
M(30, "new-sim-no-login-code", "mixed", "support", ["account-password"],
  "换了手机号，验证码收不到，登录不了 app，账号还被锁",
  ("Ray 刘", "ray.liu.gz@example.com"), "support", "app login 不了",
  """
你好，

之前注册 Acme Home 用的是旧号码，上个月换了新 SIM 卡，旧号已经停机了。
今天 app 自动退出登录，密码试了好几次都不对，现在提示账号 locked，
点 forgot password 它把 code 发去旧号码，我根本收不到。

家里净化器和扫地机都绑在这个账号下面，不想重新注册。
最近一个订单号 AC2611150087。

Ray
""", charset="UTF-8", cte="base64"),
M(31, "ap600-motor-grinding-20-months", "en", "support", ["warranty-policy", "repair-booking"],
  "the purifier motor grinds at twenty months; asks whether that is still covered and how to get it fixed",
  ("Daniel Kowalski", "d.kowalski@example.pl"), "support", "AP-600 grinding noise",
  """
Good afternoon,

Our AP-600 has started making a grinding, rattling sort of noise from inside whenever it
goes above the lowest fan speed. It is about 20 months old, bought from your JD store in
April last year. I've had the back off and the filter is fine and seated properly, the noise
is definitely from the fan/motor area.

Before I pay some local repair shop to open it up, I'd like to know where I stand with you on
this at 20 months, and if it's something you'd take care of, what the process is. I have
the JD order confirmation.

Regards,
Daniel Kowalski

The contents of this message are private and meant only for the person it is
addressed to. Kowalski Engineering Sp. z o.o., Wroclaw.
""", kind="alt"),
M(32, "price-dropped-nine-days", "zh", "support", ["price-protection"],
  "买了九天的除湿机商城降价了两百，想把差价要回来",
  ("吴迪", "wudi.sh@example.cn"), "support", "刚买就降价",
  """
你们好，

12月1号在官方商城下单的除湿机，付了2299。今天刷到同一个型号同一个颜色现在卖2099，
也不是什么秒杀，就是正常页面价。才九天就便宜两百块，心里挺不舒服的。

这个钱能退给我吗，订单号AC2612010933

吴迪
""", charset="UTF-8", cte="8bit"),
M(33, "malaysia-retailer-distribution", "en", "sales", ["dealer-partnership"],
  "a Malaysian appliance retail chain wants to carry the brand",
  ("Lim Wei Jie", "weijie.lim@kedaielektrik.example.my"), "sales", "Distribution enquiry - Malaysia",
  """
Dear Acme team,

We run Kedai Elektrik Lim, eleven appliance stores across Selangor and Penang plus a
Shopee and Lazada shop. Customers keep asking us for robot vacuums and air purifiers at
the mid-to-upper price point (RM 1,500-3,000) and we think your range would sit well with us.

We'd be keen to talk about stocking your range in Malaysia, either directly or through
whichever partner you already use here. Company profile available on request.

Best regards / Salam hormat,
Lim Wei Jie
Purchasing Director · Kedai Elektrik Lim Sdn. Bhd.
""", charset="ISO-8859-1", cte="quoted-printable"),
M(34, "graduate-campus-hiring-when", "zh", "hr", ["careers"],
  "应届生问校招什么时候开始、怎么投；寄到了 support@",
  ("许嘉怡", "xujiayi2027@example.edu.cn"), "support", "咨询校招",
  """
老师您好，

我是武汉理工大学机械工程大四的学生，2027年夏天毕业，
对咱们公司扫地机器人的研发岗位很感兴趣。
在招聘网站上没找到今年的校招信息，想了解一下是不是还没开始、
简历应该投到哪里。冒昧打扰，谢谢！

许嘉怡
""", charset="GB18030", cte="quoted-printable"),
M(35, "rude-courier-rant", "zh", "support", [],
  "投诉送货员态度差，说明只是想让我们知道，不要求什么",
  ("冯磊", "fenglei82@example.cn"), "support", "送货的态度太差了",
  """
东西是收到了没问题，但我必须说一下这次送货的那个人。

打电话的时候我说我在开会，十分钟后下楼，他直接开骂，说他没空等，
最后把除湿机那么大一个箱子扔在小区门口地上就走了，我下来的时候箱子上全是泥。
机器试了是好的，我也不要你们赔什么。

就是让你们知道一下，你们合作的物流是这个水平。
""", charset="UTF-8", cte="base64"),
M(36, "wp800-install-quartz-top", "en", "support", ["installation-booking"],
  "the WP-800 has arrived; wants a technician to fit it under a stone worktop; sent to sales@",
  ("Nadia Rahman", "nadia.rahman@example.com"), "sales", "WP-800 arrived - who fits it?",
  """
Hi,

The WP-800 came today. I'm renting and the landlord is fine with it as long as it's done
properly, so I don't want to DIY. We have a quartz worktop and the faucet would need a new
hole, and the only socket under the sink is behind the bin. What happens next, does someone
come round? Weekends are easiest, I work shifts.

Nadia
Flat 5B, Block 2, Jinqiao, Pudong
"""),
M(37, "tw-parcel-held-ezway", "zh", "support", ["shipping-hk-macau-taiwan"],
  "台湾：包裹卡在海关，收到实名认证简讯但不懂要做什么（繁体）",
  ("陳冠宇", "guanyu.chen@example.com.tw"), "support", "包裹卡海關",
  """
您好，

我上週在你們網站買了一台掃地機器人寄台中，順豐查件一直顯示「清關中」快四天了。
前天有收到一封簡訊叫我去做什麼實名認證，我以為是詐騙就沒理它，
現在想想會不會是因為這樣才卡住？

如果是的話要去哪裡弄？另外聽說還要繳稅，大概多少？

陳先生
""", charset="Big5", cte="8bit", hcharset="Big5", hmode="Q"),
M(38, "need-vat-special-fapiao", "en", "finance", ["invoice-vat-special"],
  "a general-taxpayer company wants a special VAT invoice for three dehumidifiers and gives its bank details",
  ("Chen Ming", "ming.chen@northriver-logistics.example.cn"), "billing", "Special VAT invoice for order AC2612020778",
  """
Dear billing team,

(company details below – please use exactly as written)

Our company bought three dehumidifiers for the warehouse office (order AC2612020778,
delivered 5 December). We are a general VAT taxpayer and need the input VAT deduction, so
an ordinary e-invoice is no use to us. Details below.

Company: Shanghai North River Logistics Co., Ltd.
Taxpayer ID: 91310115MA1H9XXX2T
Registered address and phone: No. 1200 Waigaoqiao Road, Pudong, Shanghai, 021-5000 0000
Bank and account: Bank of Shanghai Pudong Branch, 3160 0000 0000 1234

Kind regards,
Chen Ming
Finance, North River Logistics
""", kind="alt", charset="UTF-8", cte="base64"),
M(39, "nursery-purifier-decibels", "mixed", "sales", ["energy-noise-specs"],
  "pre-sale: 宝宝房间用 AP-400，晚上开 sleep mode 会不会吵、一晚耗多少电",
  ("Cindy 王", "cindy.wang.hz@example.com"), "sales", "AP-400 for baby room",
  """
Hello~

宝宝下个月出生，想在婴儿房放一台 AP-400 晚上一直开着。
我自己睡眠很浅，有一点点 noise 就醒，所以最关心 sleep mode 到底有多安静，
能不能说个具体的 dB 数？另外24小时开着一个月大概要多少电费。

Thanks!
Cindy
""", charset="UTF-8", cte="quoted-printable"),
M(40, "v5-battery-dies-mid-run", "en", "support", ["vacuum-dock-charging", "filters-spare-parts"],
  "a V5 of about two and a half years no longer lasts a cleaning run",
  ("George Papadopoulos", "g.papadopoulos@example.gr"), "support", "V5 running out of juice",
  """
Hi,

The V5 we bought in mid 2024 used to do the whole downstairs on one charge with room to
spare. These days it gives up about halfway through the living room and limps back to the
dock, and sometimes doesn't make it and I find it dead under the sofa. Dock is where it has
always been. Is this the end for it or is there something that can be done

George
"""),
M(41, "inner-pot-spare-buy", "mixed", "support", ["filters-spare-parts"],
  "电饭煲内胆被家里老人用铁勺刮花，想单独买一个原装内胆",
  ("Amy 赵", "amy.zhao.bj@example.com"), "support", "想买个 inner pot",
  """
Hi,

我妈来住了一个月，用铁勺盛饭，把电饭煲内胆的涂层刮得一道一道的，
我知道这个肯定不算保修了，不纠结。就是想单独买个原装的内胆换上，
机器底下的 label 写的型号是 RC-30。在哪里能买到 genuine one? Online shop search 没搜到

Amy
""", charset="UTF-8", cte="8bit"),
M(42, "kt17-serial-after-news", "en", "support", ["safety-recall"],
  "saw the kettle recall news; serial inside the affected range; asks what to do; sent to press@",
  ("Margaret Liu", "margaret.liu@example.ca"), "press", "Kettle recall - is mine one of them",
  """
Hello,

I saw on the news last night about one of your kettles overheating and I have a KT-17 in my
kitchen. Flipping it, the serial on the bottom starts KT17-2604. I've unplugged it
for now. I am not technical and I don't know what happens next, whether I'm meant to send the
whole thing somewhere or what.

Apologies if I've written to the wrong place, I took the address from the article.

Margaret Liu
"""),
M(43, "hk-hair-dryer-not-sold", "zh", "sales", [],
  "香港：问有冇风筒卖；商店冇呢类产品（广东话）",
  ("鄭家欣", "kayan.cheng@example.com.hk"), "sales", "請問有冇風筒",
  """
你好，

我屋企部抽濕機同淨化機都係你哋牌子，用得幾好。
而家想換個新風筒，想問你哋有冇出，定係將來會唔會出？
網站搵唔到，唔知係咪我睇漏咗。

Kayan
""", charset="Big5-HKSCS", cte="base64", hcharset="UTF-8"),
M(44, "interview-follow-up", "en", "hr", [],
  "a candidate thanks the panel and asks about next steps after an interview; the catalog has no answer",
  ("Ethan Brooks", "ethan.brooks.dev@example.com"), "jobs", "Following up - Embedded Firmware Engineer interview",
  """
Dear Ms Zhang,

Thank you again for your time on Tuesday, and please pass my thanks to Mr Li and the rest of
the panel. I enjoyed the whiteboard discussion about OTA rollback more than I expected to.

I just wanted to check on the timeline for the next round, as I have another offer that needs
an answer by the 18th and Acme is my first choice.

Kind regards,
Ethan Brooks
"""),
M(45, "s8-wrong-colour-arrived", "mixed", "support", ["exchanges"],
  "下单黑色 S8，收到的是白色，想换成对的颜色；寄到了 sales@",
  ("Kelly 孙", "kelly.sun.nj@example.com"), "sales", "收到的 S8 颜色不对",
  """
你好，

我下单的是 RoboClean S8 黑色 (订单截图有写 Black)，昨天收到打开是白色的。
家里地板和家具都是深色，白色放在那里很突兀，所以还是想要 black 的那台。
机器我没用过，包装都在。麻烦安排一下换货, please send the black one.

Kelly
""", charset="UTF-8", cte="quoted-printable"),
M(46, "stop-texts-close-account", "mixed", "support", ["privacy-data-deletion"],
  "营销短信太多，干脆想注销 Acme Home 账号并删除数据",
  ("Eric 郭", "eric.guo.xm@example.com"), "support", "please delete my account",
  """
你好，

这个月已经收到七八条你们的促销短信了，双十二 countdown 每天都发，真的很烦。
我家的净化器已经送人了，以后也不用 app 了，
干脆把我的账号整个注销掉吧，手机号和 device 记录都删掉。
Please also confirm by email when it is done.

Eric
""", charset="UTF-8", cte="base64"),
M(47, "singapore-dhl-customs-hold", "en", "support", ["shipping-international"],
  "Singapore order held at customs; the courier asks for a commercial invoice and GST",
  ("Farah Ismail", "farah.ismail@example.sg"), "support", "Parcel held at Singapore customs",
  """
Hello,

I ordered an AP-600 from your international store and it has been sitting at Singapore
customs since Monday. DHL emailed saying they need a "commercial invoice" from the shipper
and that there will be GST to pay before they release it. I wasn't expecting the GST but fine,
I just want the purifier. What is a commercial invoice and can you send it to them? Tracking
is 4021 8876 553.

Thank you,
Farah
""", kind="html"),
M(48, "family-of-six-water-purifier", "zh", "sales", ["choosing-a-model"],
  "家里六口人，问净水器选哪款合适",
  ("罗晓明", "luoxm_fj@example.cn"), "sales", "净水器选型",
  """
您好，家里老人孩子加一起六口人，每天做饭烧水用水量挺大的，
想装一台你们的净水器，页面上几个型号看得有点晕，
不知道哪一款够我们这么多人用，麻烦给推荐一下。

罗先生（福州）
""", charset="GB18030", cte="base64"),
M(49, "purifier-ionizer-ozone", "en", "sales", [],
  "pre-sale: whether the purifiers have an ioniser or UV lamp and give off ozone; the catalog does not say",
  ("Catherine Moore", "c.moore.asthma@example.com"), "sales", "ozone from your purifiers",
  """
Dear sales team

My daughter has asthma and her consultant told us to stay away from any purifier with an
ioniser or a UV lamp because some of them give off ozone. Do your AP-400 and AP-600 have
either of those, and if so can they be turned off. I'd need to see it in writing.

Regards
Catherine Moore
"""),
M(50, "tw-refund-credit-card-slow", "zh", "finance", ["refund-timing"],
  "台湾：退货寄回两周，信用卡还没看到退款；寄到了 support@（繁体）",
  ("吳宗翰", "tsunghan.wu@example.com.tw"), "support", "退款還沒收到",
  """
你好，

十一月底退回去的清淨機，物流顯示 11/25 你們已經簽收，
到今天都兩個禮拜了，信用卡帳單上還是沒有看到那筆退款，
網站上的售後進度也只寫「退款中」。

請問錢到底什麼時候會回來？刷的是國泰世華的卡。

吳先生
訂單 TW2611180036
""", charset="Big5", cte="base64", hcharset="Big5"),
M(51, "mcn-kol-campaign-pitch", "mixed", "pr", [],
  "an MCN agency pitches a paid influencer campaign with its rate card; nothing for the catalog to answer",
  ("Vivian 许 | StarLoop MCN", "vivian.xu@starloop-mcn.example.cn"), "press", "合作提案：双旦 KOL campaign",
  """
Hi 品牌团队，

我是 StarLoop MCN 的商务 Vivian，我们旗下有 60+ 家居、母婴类达人，
小红书 + 抖音 总粉丝超过 2000w。
看到贵司最近在推 S8，想给双旦档期做一波 KOL 种草 campaign，
报价从单条 5k 到打包 30w 不等，附件里的 deck 有往期案例和 CPM 数据。

方便的话约个 15 分钟 call 聊聊？

Vivian Xu
Business Development, StarLoop MCN
""", kind="html", charset="UTF-8", cte="base64"),
M(52, "dehumidifier-manual-recycled", "en", "support", ["manuals-download"],
  "the dehumidifier's paper manual went out with the recycling; wants to know what the symbols on the panel mean",
  ("Owen Hughes", "owen.hughes@example.co.uk"), "support", "lost the booklet",
  """
Afternoon,

Embarrassingly the instruction booklet for our dehumidifier went out with the cardboard
recycling. There are a couple of symbols on the control panel I can't work out (a sort of
snowflake and a little drop with a line through it) and I'd rather not guess. Is there a
copy I can get hold of? Model number on the back is DH-20.

Owen
"""),
M(53, "dehumidifier-no-warm-air-2-years", "zh", "support", ["repair-booking", "warranty-policy", "dehumidifier-no-water"],
  "除湿机用了两年，出风不热、房间不干；问压缩机还保不保、怎么叫人上门修",
  ("杨帆", "yangfan_cq@example.cn"), "support", "除湿机不行了",
  """
客服您好：

家里除湿机是2024年11月在官方商城买的，重庆这边冬天潮，一直开着。
这两个礼拜发现出风口吹出来是凉的，开一整天房间湿度表还是八十多，水箱基本是空的。
我听说压缩机保修比整机长，现在两年多一点，不知道还在不在保修里面。
机器太重了我搬不动，能不能安排师傅上门看一下，在渝北区。

杨帆
""", charset="GBK", cte="quoted-printable"),
M(54, "warehouse-3pl-pitch", "en", "sales", [],
  "a logistics company pitches warehousing and fulfilment services; no question for the catalog",
  ("Brian Cho", "brian.cho@swiftbay-fulfilment.example"), "sales", "Cutting your last-mile costs by 18%",
  """
Hi there,

I'll keep this short. SwiftBay runs bonded and domestic fulfilment centres in Kunshan, Dongguan
and Chengdu, and we work with several appliance brands your size. On average we take 18% off
their per-parcel cost within the first quarter and cut damage claims on bulky items in half.

Worth a 20-minute call next week? I can share a case study from a kitchen appliance client.

Brian Cho
Partnerships Lead, SwiftBay Fulfilment
Reply STOP and I won't follow up.
""", kind="alt"),
M(55, "lhasa-how-many-days", "zh", "support", ["shipping-delivery-times"],
  "下单前问寄拉萨要几天、要不要运费",
  ("艾力", "aili_xj@example.cn"), "support", "西藏能发吗",
  """
你好 想买一台扫地机 收货地址在拉萨城关区
上回在网上买个锅等了快半个月 所以想先问问你们发到西藏大概多少天能到
另外西藏是不是要另外加运费 页面上没看明白
""", charset="UTF-8", cte="quoted-printable"),
M(56, "hk-card-huabei-instalments", "mixed", "finance", ["payment-methods"],
  "想分期买 AP-600，问花呗能不能分期、香港 credit card 能不能用",
  ("Tony 冯", "tony.fung.sz@example.com"), "support", "AP-600 分期 payment",
  """
Hi,

准备买一台 AP-600 放深圳家里，价钱有点高想分期付。
想问下 checkout 的时候能不能用花呗分期？
另外我手上只有一张香港的 Visa credit card，在大陆官网可不可以直接刷？

Thanks
Tony
""", charset="UTF-8", cte="8bit"),
M(57, "newsletter-code-flash-sale", "en", "support", ["coupons"],
  "a newsletter discount code is rejected on the S8, which is on a flash sale",
  ("Chloe Bennett", "chloe.bennett@example.com.au"), "support", "WINTER15 code not accepted",
  """
Hi,

Got your newsletter with WINTER15 in it, tried to use it on the S8 this morning and it just
says “not applicable to items in your cart”. The S8 has a red "flash deal" banner on it at the
moment if that matters. Code hasn't expired, the email says end of December.

Bit annoying to be honest, the whole reason I signed up was for the code.

Chloe
""", kind="html", charset="UTF-8", cte="quoted-printable"),
M(58, "qiye-auto-reply", "zh", "support", [],
  "企业邮箱的自动回复（休假），回复我们的确认信，带自动回复头",
  ("何建华", "hejh@jinyuan-mech.example.cn"), "support", "自动回复：净水器安装",
  """
您好，我正在休年假，12月14日返回，期间邮件回复可能不及时。
紧急事务请联系同事李女士，电话0571-8700 0000。

何建华
金源机械有限公司 采购部
""", headers=["Auto-Submitted: auto-replied", "X-Autoreply: yes"],
  reply_to_id="ack-0857@acme-appliances.example", charset="GB18030", cte="base64"),
M(59, "parcel-was-at-neighbours", "en", "support", [],
  "retraction replying to our acknowledgement: the missing parcel was at a neighbour's all along",
  ("Sam Whitaker", "sam.whitaker@example.com"), "support", "Re: Kettle order not delivered",
  """
Scratch that, the neighbour had it all along, she was away for the weekend. Sorry for the
bother!

Sam

-----Original Message-----
From: support@acme-appliances.example
Date: Saturday, 5 December 2026 10:41
To: sam.whitaker@example.com
Subject: Kettle order not delivered

""" + quote(ACK_EN.format(t="FD-2612-0862")), reply_to_id="ack-0862@acme-appliances.example"),
M(60, "rice-cooker-cake-low-sugar", "zh", "sales", [],
  "下单前问电饭煲能不能做蛋糕、有没有低糖饭功能；目录里没有这些功能",
  ("蒋玉梅", "jiangym1990@example.cn"), "sales", "电饭煲功能",
  """
您好！

家里老公血糖有点高，医生让少吃精米饭，我在看你们的电饭煲，
想知道有没有那种低糖饭（沥米饭）的功能，
还有能不能蒸蛋糕，我看别的牌子有蛋糕模式。
如果有的话我就买了，谢谢～
""", charset="UTF-8", cte="base64"),
M(61, "youtuber-review-unit-s8", "en", "pr", ["press-contact"],
  "a YouTube creator asks for a review unit of the S8 and where to send a proposal; sent to sales@",
  ("Jake Morrison", "jake@cleanfreaktech.example"), "sales", "Review unit - RoboClean S8",
  """
Hey Acme,

I run CleanFreak Tech on YouTube (240k subs, robot vacuums are our most watched videos). We're
planning a "best robot vacuum under 4000 yuan" comparison for late January and I'd really like
the S8 in it. Is there someone I can talk to about a review unit? Happy to share channel stats
and the publish date.

Jake
"""),
M(62, "tw-purifier-wont-add-app", "zh", "support", ["wifi-app-pairing"],
  "台湾：清净机在 App 加不进去，家里是 5G 和 2.4G 同名的分享器（繁体）",
  ("蔡宜蓁", "yizhen.tsai@example.com.tw"), "support", "清淨機無法連線",
  """
您好

新買的清淨機要用 App 加入，每次跑到一半就說連線逾時。
家裡是中華電信的分享器，Wi-Fi 只有一個名稱，不知道是不是雙頻合在一起的關係。
手機就放在清淨機旁邊。

試了快一個小時，麻煩幫忙

宜蓁
""", charset="Big5", cte="quoted-printable", hcharset="Big5"),
M(63, "sf-says-delivered-html", "mixed", "support", ["order-tracking"],
  "HTML 邮件：顺丰显示 delivered，但本人和门卫都没收到",
  ("Annie 蒋", "annie.jiang.sh@example.com"), "support", "tracking 显示已签收 but nothing here",
  """
Hi,

订单 AC2612060511 的电水壶，SF tracking 昨天 18:02 显示 delivered，
签收人写的是「门卫」，可是我们小区门卫说没见过这个包裹。
快递员电话打不通。

Please help 查一下
Annie
""", kind="html", charset="UTF-8", cte="quoted-printable"),
M(64, "expat-fapiao-company-name", "mixed", "finance", ["invoice-request"],
  "外籍员工要给公司报销，需要带公司抬头和税号的 fapiao",
  ("Mark Evans", "mark.evans@example.com"), "billing", "need fapiao for reimbursement",
  """
Hello,

I bought an AP-400 for my office last week (order AC2612030299) and my employer is
reimbursing me, but HR says I need a proper fapiao with the company name and tax number on it.
My colleague wrote this for me:

抬头：上海瑞格咨询有限公司
税号：91310104MA1FXXXX8E

请开电子发票，发到这个邮箱，谢谢！

Mark
""", charset="UTF-8", cte="quoted-printable"),
M(65, "wrong-building-and-name", "zh", "support", ["change-order-address"],
  "刚下的单收件人名字和楼号都填错了，还没发货，想改",
  ("唐晓宇", "tangxiaoyu@example.cn"), "support", "地址填错了",
  """
刚下的单 AC2612100146，还没发货。
收件人名字打成了我同事的，应该是唐晓宇，
地址里的 7号楼 应该是 17号楼 ，其他都对。
麻烦改一下 谢谢
""", charset="GBK", cte="8bit"),
M(66, "kettle-for-parents-vancouver", "mixed", "sales", ["overseas-voltage"],
  "下单前问：想买电水壶带去温哥华给父母用，110V 能不能用",
  ("Grace 邓", "grace.deng.cd@example.com"), "sales", "kettle 带去加拿大能用吗",
  """
Hi there,

下个月回 Vancouver 看爸妈，想买一个你们的智能电水壶带过去当礼物，
他们在国内住的时候用过很喜欢。
但是加拿大那边是 110V，plug 也不一样，
买大陆版的过去插个转换头能不能用？不行的话有没有别的办法。
Would rather know before I buy.

Grace
""", charset="UTF-8", cte="base64"),
M(67, "return-unopened-kettle-and-refund", "mixed", "support", ["returns-7-day", "refund-timing"],
  "几件事一封信：抱怨了一下，真正的问题是想退一个没拆的电水壶，以及钱多久到",
  ("Steven 林", "steven.lin.wh@example.com"), "support", "kettle 退货 + 其他",
  """
Hi,

先说几件小事 (just some feedback first)：上次客服 chat 里等了二十分钟才有人回；
你们 app 的夜间模式字看不清。这些就当 feedback 吧。

正事是：双十一买了两个电水壶，一个自己用，一个本来要送朋友，
结果朋友自己买了。送人那个还没拆封，前天才签收的，想退掉。
退的话钱多久能回到我的支付宝？

Steven
订单 AC2612050421
""", charset="UTF-8", cte="8bit"),
M(68, "wp800-missing-hose", "zh", "support", ["damaged-on-arrival"],
  "净水器到货后发现少了一根进水管，装不了",
  ("彭丽华", "penglh_nc@example.cn"), "support", "净水器少配件",
  """
你好，昨天收到的净水器，今天安装师傅来了打开箱子一看，
配件袋里少一根接进水的白色软管，师傅说没有这个装不了，白跑一趟。
清单上写的是两根，箱子里只有一根。

能不能尽快补寄一根过来，师傅说后天可以再来。
订单号AC2612040870 南昌
""", charset="GB18030", cte="quoted-printable"),
M(69, "county-town-dealer-shop", "zh", "sales", ["dealer-partnership"],
  "想在县城开门店代理你们的产品，问条件；寄到了 support@",
  ("韦国庆", "weigq_gx@example.cn"), "support", "代理合作",
  """
你好，

我在广西玉林下面一个县城做了十几年家电门店，现在店里主要卖厨电。
最近几年年轻人要扫地机和净水器的越来越多，想把你们的牌子引进来做县里的代理。
要什么条件、要不要交钱、拿货价怎么算，麻烦给个联系人。

韦国庆
""", charset="GBK", cte="base64"),
M(70, "hk-s8-wont-charge", "zh", "support", ["vacuum-dock-charging"],
  "香港：扫地机唔返充电座、充唔到电（广东话）",
  ("李嘉敏", "kaman.li@example.com.hk"), "support", "部S8唔識返去叉電",
  """
你好，

上個禮拜搬咗屋，部S8個座放咗喺客廳落地玻璃窗隔籬，
之後佢每次掃完都喺附近兜兜轉轉，搵唔到個座，最後冇電停咗喺度。
我自己攞佢擺返上去，個燈又唔係好似以前咁著。

唔該幫手睇下點算
Kaman
""", charset="Big5-HKSCS", cte="quoted-printable", hcharset="UTF-8"),
]

# --- labels, counts, check: eval/dev/make.py's, pointed at this set -------------------------

dev.point_at(HERE, MAILS, "dev6 (tuning)")


def wording_problems():
    """A dev6 mail must not copy a run of words from the catalog or from an eval/dev to
    eval/dev5 mail (quoted acknowledgements excepted: they are ours)."""
    sources = [("faq.yaml", open(dev.FAQ, encoding="utf-8").read())]
    sources += [("eval/dev " + dev.fname(m), m["body"]) for m in DEV_MAILS]
    for name in ("dev2", "dev3", "dev4", "dev5"):
        mod = _load(name + "make", os.path.join(HERE, "..", name, "make.py"))
        sources += [("eval/%s %s" % (name, dev.fname(m)), m["body"]) for m in mod.MAILS]
    tickets = {t for m in MAILS for t in re.findall(r"FD-\d{4}-\d{4}", m["body"])}
    own = set()
    for ack in (ACK_EN, ACK_ZH):
        for t in tickets:
            own |= dev.shingles(ack.format(t=t))
    return dev.wording_problems(sources, own)


if __name__ == "__main__":
    dev.main_with_wording(wording_problems)
