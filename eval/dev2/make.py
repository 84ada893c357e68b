#!/usr/bin/env python3
"""Generate the eval/dev2 mail set: NNN-slug.eml files and labels.yaml.

    python3 eval/dev2/make.py          # (re)write the .eml files, labels.yaml and the counts in README.md
    python3 eval/dev2/make.py --check  # verify the files on disk, the labels, the counts and the wording

Written by the Frontdesk project, session 15, from ../../../shared/eval/faq.yaml and the
routing policy in ../shared/eval/README.md only, blind to public-b, to the public/ mails and
to the eval/dev mails. The encoding, building, labelling and checking code is eval/dev/make.py's,
loaded as a module and pointed at this directory and this MAILS list; this file adds the mails
and a wording check (no long run of words shared with the catalog or with eval/dev).
Output is deterministic: running it twice gives the same bytes.
"""
import datetime
import email.utils
import importlib.util
import os
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("devmake", os.path.join(HERE, "..", "dev", "make.py"))
dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev)
DEV_MAILS = dev.MAILS  # eval/dev's mails, kept only for the wording check

png, pdf = dev.png, dev.pdf
PNG1 = png(18, 14, 5)
PNG2 = png(22, 18, 77)
PNG3 = png(30, 12, 140)

ACK_EN, ACK_ZH = dev.ACK_EN, dev.ACK_ZH


def M(n, slug, lang, dept, faq, note, frm, to, subject, body, **kw):
    """One mail: its label and what it looks like. Date and Message-ID are derived from n
    unless given; the body charset and transfer encoding default by language."""
    tz = datetime.timezone(datetime.timedelta(hours=0 if lang == "en" and n % 3 else 8))
    when = datetime.datetime(2026, 11, 1 + (n * 11) % 28, 6 + (n * 5) % 16, (n * 13) % 60, (n * 29) % 60, tzinfo=tz)
    dom = frm[1].split("@")[1]
    m = dict(n=n, slug=slug, lang=lang, dept=dept, faq=faq, note=note, to=to, subject=subject, body=body,
             date=email.utils.format_datetime(when), msgid="%08x.%03d@%s" % (zlib.crc32(slug.encode()), n, dom))
    m["from"] = frm
    if dev.is_ascii(body) and "charset" not in kw:
        m["charset"], m["cte"] = "US-ASCII", "7bit"
    else:
        m["cte"] = ("8bit", "quoted-printable", "base64")[n % 3]
    m.update(kw)
    return m


MAILS = [
# --- support: faults and use -------------------------------------------------------------
M(1, "kettle-dead-help", "en", "support", ["kettle-not-heating"],
  "four words, no model; a kettle that does nothing",
  ("Dan Okafor", "dokafor@example.org"), "support", "kettle",
  """
kettle dead. help

Dan
"""),
M(2, "hk-kettle-screen-on-no-boil", "zh", "support", ["kettle-not-heating"],
  "Cantonese, Big5-HKSCS; screen lights but water never boils (child lock or keep-warm setting)",
  ("陳嘉欣", "kayan.chan@example.com.hk"), "support", "個煲水壺唔滾水",
  """
你好，

我屋企個智能煲水壺上個月喺官網買嘅，今朝開始個mon有顯示，撳咗幾次都唔滾，
水都係凍嘅。我阿媽話佢尋日有撳過上面啲掣，唔知係咪佢整咗啲乜嘢設定。
插頭都試過換第二個位，一樣冇反應。唔該話我知點算，我哋每朝都要沖奶粉。

Kayan
""", charset="Big5-HKSCS", cte="base64"),
M(3, "base-smells-burnt-kt17", "en", "support", ["safety-recall"],
  "KT-17 with a serial in the recalled range; base hot and smelling; customer does not know of the recall",
  ("Hannah Lindqvist", "hannah.l@example.se"), "support", "Burning smell from kettle base",
  """
Good afternoon,

This is a bit worrying so I thought I should write. When I lift my kettle off the
round plate it sits on, the plate is really hot underneath and there was a smell like
melting plastic yesterday evening. The kettle is a KT-17, I turned it over and the
sticker says KT17-2604-118832. We have a small child in the house so I have unplugged
it and put it in the cupboard for now.

Is it safe to keep using it or not? I don't really want to throw away a kettle that is
only a few months old.

Kind regards,
Hannah Lindqvist
Uppsala / currently living in Suzhou
"""),
M(4, "recall-rumour-serial-outside", "zh", "support", ["safety-recall"],
  "Simplified, GBK; heard of the recall in a group chat, serial KT17-2511 is outside the affected range",
  ("何文静", "hewenjing88@example.cn"), "support", "家里的水壶要不要换？",
  """
客服你好：

业主群里有人转了一条消息，说你们家的KT-17烧水壶有问题，会起火，吓得我赶紧把插头拔了。
我翻过来看了一下底下的编号是KT17-2511-0093，不知道我这个在不在范围里面？要是要换的话
我需要做什么，要不要把整个壶寄回去？家里老人每天都要用，麻烦尽快告诉我，谢谢。

何女士
""", charset="GBK", cte="8bit"),
M(5, "tw-rice-cooker-e1-after-wash", "zh", "support", ["rice-cooker-e1"],
  "Taiwan Traditional, Big5; 電子鍋 shows E1 after the pot was washed",
  ("林怡君", "yichun.lin@example.com.tw"), "support", "電子鍋一直嗶嗶叫",
  """
您好，

我們家的電子鍋今天晚上要煮飯的時候，按下開始就一直嗶嗶叫，螢幕出現E1，完全不會熱。
下午我有把內鍋拿去洗，洗完擦一擦就放回去了，不知道跟這個有沒有關係？
已經拔掉插頭重插兩次了還是一樣，晚餐只好叫外送。請問這樣是壞掉了嗎？

林小姐 敬上
""", charset="Big5", cte="quoted-printable"),
M(6, "rice-cooker-lid-e3-repair", "en", "support", ["rice-cooker-e1", "repair-booking"],
  "E3 (lid/sensor fault per the catalog): the entry says stop using and book a repair, so both help",
  ("Marcus Feld", "marcus.feld@example.de"), "support", "E3 on the display and lid will not close properly",
  """
Hello support team,

Our rice cooker has started showing E3 on the little screen since the weekend. The lid
also does not click shut any more, you have to hold it down, and then the E3 comes back
after a minute or so. We bought it in spring on your online store, order 20260318552901.

I assume this is something that needs fixing by you rather than by me. How do I get it
to you and how long will we be without it?

Thanks,
Marcus Feld
--
Marcus Feld | Procurement | Feld & Wu Trading Co., Ltd.
This e-mail and any attachments are confidential and intended solely for the addressee.
If you have received it in error please notify the sender and delete it.
"""),
M(7, "inner-pot-coating-peeling", "mixed", "support", ["warranty-policy", "filters-spare-parts"],
  "coating of the inner pot peeling after 8 months: warranty covers the coating unless metal utensils; buying a new pot is spare parts",
  ("Kelly Zhou", "kellyzhou@example.com"), "support", "内胆掉涂层 warranty?",
  """
Hi 客服,

我家电饭煲用了大概 8 months，最近发现内胆底部的涂层一片一片掉下来，煮出来的饭里面有黑点，
有点担心 safe 不 safe。我们平时都用它配的塑料饭勺，没有用 metal spoon。

想问一下：这个情况 warranty 管不管？如果不管的话，可以单独买一个新的内胆吗，在哪里买？
型号我看了一下底下写的是 RC-30。

Thanks!
Kelly
"""),
M(8, "robot-spins-error-five", "en", "support", ["vacuum-stuck-errors"],
  "Error 5 described as the robot thinking it is always hitting something",
  ("Bea Santos", "bea.santos@example.ph"), "support", "robot keeps saying error five",
  """
hi so our robot cleaner has gone a bit mad, it goes forward like 10cm then reverses and
spins like its hit a wall, but there is nothing there. then it stops and the voice says
error 5 and something i didnt catch. my son dropped it off the stairs last week (one
step only!!) maybe thats it. is it broken or can i fix it myself

bea
""", kind="html"),
M(9, "robot-trapped-under-sofa", "zh", "support", ["vacuum-stuck-errors"],
  "Simplified; robot trapped under a sofa every day (no-go zone)",
  ("小周", "zhou_xm@example.cn"), "support", "扫地机天天卡在沙发底下",
  """
你们好，

我家的扫地机器人每天下午定时打扫，可是十次有八次都钻到客厅沙发底下出不来，
回家一看它就在里面趴着，电都耗光了。沙发底下的高度刚好比它高一点点，
有没有办法让它别往那里钻？总不能每天把沙发抬起来吧。

谢谢
"""),
M(10, "hk-robot-wont-go-home", "zh", "support", ["vacuum-dock-charging"],
  "Cantonese; robot cannot find the dock since the dock was moved beside a floor mirror",
  ("Wong Siu Ming", "wsm.hk@example.com.hk"), "support", "部機械人唔識返屋企",
  """
Hello,

我部掃地機械人最近掃完地之後成日唔識返去個充電座度，喺廳中間轉嚟轉去，
最後冇電停咗喺度。上個禮拜我將個座搬咗去廳嗰邊，隔籬係一塊落地鏡，
唔知係咪有關係？有時佢返到去都冇叉到電，盞燈唔著。點樣先可以整返好？

多謝
Siu Ming
""", charset="Big5-HKSCS", cte="8bit"),
M(11, "robot-battery-twenty-minutes", "en", "support", ["vacuum-dock-charging"],
  "three-year-old robot lasts 20 minutes on a full charge: the dock/charging entry covers worn batteries",
  ("Oliver Grant", "ogrant@example.co.uk"), "support", "Battery on the V5 not lasting",
  """
Hi,

We've had the V5 for just over three years and it has been great, but now it only runs
for about twenty minutes before it heads back to charge, and it used to do the whole
flat in one go. It charges fine and shows full. Is there a way to get a new battery for
it or is that the end of it? Not fussed about doing it myself if it's just screws.

Cheers
Oliver
"""),
M(12, "purifier-red-light-after-new-filter", "zh", "support", ["purifier-filter-light"],
  "Simplified, GB18030; changed the filter, red light still on",
  ("赵磊", "zhaolei@example.cn"), "support", "新滤网装上去了灯还是红的",
  """
你好！

空气净化器前几天亮红灯，我在网上买了个新滤芯换上去了，可是红灯还是一直亮着，
按了好几下那个按钮都没用。是不是我买的滤芯不对？还是机器哪里坏了？
型号是AP-400，去年双十一买的。

赵磊
""", charset="GB18030", cte="base64"),
M(13, "air-cleaner-orange-light-where-buy", "en", "support", ["purifier-filter-light", "filters-spare-parts"],
  "'air cleaner' with a change-filter light, and where to buy the genuine filter",
  ("Ruth Adeyemi", "ruth.adeyemi@example.com"), "support", "air cleaner light + where to get the insert",
  """
Hello

The little light on my air cleaner (AP-600) has gone red and the app says 0% on the
filter thing. I've never changed it before, we've had it about 7 months. Where do I
actually buy the right replacement insert and once it's in, do I need to do anything
to make the light go off?

Thanks a lot
Ruth
"""),
M(14, "sink-cabinet-wet", "zh", "support", ["water-purifier-leak"],
  "Simplified; water in the cabinet under the sink where the purifier is",
  ("刘阿姨", "liu.ayi1962@example.cn"), "support", "厨房柜子里都是水",
  """
你好

今天早上打开厨房水槽下面的柜子，发现底板全湿了，还在往下滴水，就是装净水器的那个柜子。
我先把水龙头关了。净水器是今年夏天师傅上门装的。现在不敢开，家里没水喝了，请问怎么办？
要不要叫你们师傅来看一下？

刘
""", charset="GBK"),
M(15, "ro-alarm-beeping-at-night", "mixed", "support", ["water-purifier-leak"],
  "mixed; leak alarm beeping at night, water on the base",
  ("Jason Liang", "jason.liang@example.com"), "support", "净水器半夜 beep beep",
  """
Hi there,

昨晚 3 点多 kitchen 里面那台 RO 净水器一直 beep，起来看了一下 base 底下有一小摊水，
不知道是哪里漏的。我 unplug 之后就不响了。今天早上插回去又开始响。
Should I turn off the water valve? 之前从来没有这样过。

Jason
Sent from Outlook for Android
"""),
M(16, "hk-dehumidifier-tank-empty", "zh", "support", ["dehumidifier-no-water"],
  "Cantonese; 抽濕機 runs but the tank stays empty in a cool flat",
  ("Mandy Lau", "mandylau@example.com.hk"), "support", "抽濕機冇水",
  """
Hi 你好，

我喺屯門住，最近天氣凍咗，間房好潮濕，牆身都出晒水珠，但係部抽濕機開咗成晚，
個水箱得返幾滴水，又成日自己停一陣先再開。係咪部機壞咗？
上年買嘅時候一晚有半箱水㗎。

唔該晒
Mandy
"""),
M(17, "dehumidifier-stops-every-half-hour", "en", "support", ["dehumidifier-no-water"],
  "dehumidifier pausing every half hour in a cold garage (defrost cycle)",
  ("Pete Howarth", "pete.howarth@example.net"), "support", "Keeps switching itself off",
  """
Morning,

I have the dehumidifier running in the garage where I keep my bikes. Every half hour or
so the fan stops, it sits there for a few minutes and then starts again. The garage is
not heated, maybe 4 or 5 degrees at the moment. Tank is empty. Is that a fault?

Pete
"""),
M(18, "tw-dehumidifier-compressor-two-years", "zh", "support", ["warranty-policy", "repair-booking"],
  "Taiwan Traditional; compressor dead after two years, asks if covered and how to send it in",
  ("張志明", "chihming.chang@example.com.tw"), "support", "除濕機壓縮機壞了，還在保固嗎？",
  """
客服您好：

我的除濕機是前年十二月在台灣官網買的，大概兩年了。這幾天開機後只有風扇在轉，
吹出來的風是冷的，完全沒有除濕，修理行的朋友說聽起來是壓縮機不動了。
請問壓縮機還在保固範圍內嗎？如果要修，是要自己送去哪裡，還是可以到府維修？
我住在台中。

張先生
""", charset="Big5"),
M(19, "mesh-router-wont-pair", "en", "support", ["wifi-app-pairing"],
  "mesh router with one network name; the app never finds the purifier",
  ("Sanjay Mehta", "sanjay.m@example.in"), "support", "cannot add purifier to app",
  """
Hi,

I've been trying for an hour to get the air purifier onto the Acme Home app. It gets to
"connecting to device" and then says timed out. Phone is an iPhone 15, the router is a
mesh system (3 units) and we just have one network called MEHTA_HOME. Everything else
in the house is connected fine, the TV, the lights etc.

Is it something on my side? I'm not very techy so simple steps please.

Sanjay
"""),
M(20, "app-add-device-fails", "zh", "support", ["wifi-app-pairing"],
  "Simplified; adding the rice cooker in the app fails at the network step",
  ("王小鹏", "wxp2019@example.cn"), "support", "智家添加设备一直失败",
  """
您好，新买的电饭煲想连手机，按说明书操作，一到输入无线网络密码那一步就失败，
提示“设备配网超时”，已经试了七八次了。家里路由器是新换的，
密码里有个井号和感叹号，不知道有没有关系。请问该怎么设置？
"""),
M(21, "update-frozen-at-63", "en", "support", ["firmware-update"],
  "robot update sitting at 63% for an hour",
  ("Ines Carvalho", "ines.carvalho@example.pt"), "support", "stuck at 63%",
  """
Hello,

The app told me there was an update for the robot so I pressed it. It has been on 63%
for more than an hour now and the light on the robot is blinking. Can I take it off the
base or will that break it? I'm afraid to touch it.

Ines
"""),
M(22, "robot-upgrade-failed", "zh", "support", ["firmware-update"],
  "Simplified; update failed, asks whether the robot is now broken",
  ("孙佳", "sunjia@example.cn"), "support", "升级失败了怎么办",
  """
你好，昨晚App提示扫地机有新版本，我点了升级，早上起来一看显示升级失败，
机器还能正常扫地，但App里那个红点还在。是不是要重新升级一次？会不会把机器搞坏？
""", charset="GB2312", cte="quoted-printable"),
M(23, "booklet-thrown-out", "en", "support", ["manuals-download"],
  "needs the user manual for the water purifier after throwing out the box",
  ("Greg Nowak", "gnowak@example.pl"), "support", "need the instruction booklet",
  """
Hi,

We moved flat and I threw away the box with the instruction booklet by mistake. It's
the WP-800 water purifier. Do you have the booklet in English as a PDF somewhere? I want
to check how often the cartridges should be swapped.

Thanks,
Greg
"""),
M(24, "hk-manual-english-for-helper", "zh", "support", ["manuals-download"],
  "Cantonese; wants the English manual for a domestic helper",
  ("李太", "mrs.lee.kln@example.com.hk"), "support", "有冇英文版說明書",
  """
你好，

我屋企工人姐姐唔識睇中文，想問下部吸塵機械人同埋個電飯煲有冇英文版嘅說明書？
盒入面得中文嗰本。如果有網上版本嘅話，可唔可以話我知喺邊度搵？

李太
""", charset="Big5-HKSCS", hcharset="UTF-8", cte="quoted-printable"),
M(25, "new-phone-cant-login", "en", "support", ["account-password"],
  "changed phone number, cannot receive the login code",
  ("Amira Haddad", "amira.haddad@example.com"), "support", "Locked out of my account",
  """
Hello,

I changed my mobile number when I moved back from Dubai and now I can't get into the app
because it sends the code to my old number. I also tried the password a few times and
now it says the account is locked. My last order was in September (the dehumidifier).
Can you change the number for me?

Amira Haddad
"""),
M(26, "sms-code-never-arrives", "zh", "support", ["account-password"],
  "Simplified; the login SMS code never arrives",
  ("郑先生", "zheng.hz@example.cn"), "support", "收不到验证码",
  """
你好，我想登录App看一下订单，点了忘记密码，可是手机一直收不到验证码，
等了十几分钟了，点了好几次重新发送也没有。手机号没换过。这是怎么回事？
"""),
]
MAILS += [
M(27, "delete-me-and-stop-emails", "en", "support", ["privacy-data-deletion"],
  "wants the account erased and the marketing mails to stop",
  ("Claire Dubois", "claire.dubois@example.fr"), "support", "Please remove all my details",
  """
To whom it may concern,

I no longer use your products (I gave the purifier to my sister) and I would like my
account closed and everything you hold about me removed, including my address and phone
number. I am also still getting promotional emails every week even though I have never
asked for them. Please confirm when this is done.

Regards,
Claire Dubois
"""),
M(28, "tw-stop-promo-texts", "zh", "support", ["privacy-data-deletion"],
  "Taiwan Traditional; wants promotional texts stopped and asks what happens to her data",
  ("吳佩珊", "peishan.wu@example.com.tw"), "support", "請不要再傳促銷簡訊給我",
  """
您好：

最近每天都收到你們的促銷簡訊，一天兩三則，真的很困擾。請問要怎麼關掉？
另外我想知道你們到底保存了我哪些個人資料，有沒有拿去給其他公司用？
如果可以的話，我想把帳號整個刪除。

謝謝
吳小姐
""", charset="Big5", cte="base64"),
M(29, "purifier-arrived-need-plumber", "zh", "support", ["installation-booking"],
  "Simplified; the water purifier was delivered, asks who installs it and whether it costs extra",
  ("黄建国", "huangjg@example.cn"), "support", "净水器到了，谁来装？",
  """
你好，

今天下午收到净水器了，箱子很大，我自己不会装。请问是你们派人上门安装吗？
要不要另外给钱？我周一到周五要上班，只有周末在家，能不能约周六？

黄建国
13X-XXXX-2217
""", hmode="Q", charset="GBK", cte="quoted-printable"),
M(30, "granite-worktop-drill", "en", "support", ["installation-booking"],
  "asks whether the installer will drill a granite worktop for the tap, and the cost",
  ("Fiona MacLeod", "fiona.macleod@example.co.uk"), "support", "fitting the water filter",
  """
Hi,

The WP-800 arrived yesterday. Before I get someone round: our kitchen worktop is granite
and there's no spare hole for the little drinking water tap. Does your fitter drill that
or do I need to sort it out first? And is there a charge for it? Also there is only a
socket about a metre and a half away under the sink, hope that's ok.

Fiona
"""),
M(31, "marked-delivered-nothing-here-billing", "en", "support", ["order-tracking"],
  "sent to billing@; tracking says delivered but nothing arrived",
  ("Ben Carter", "ben.carter@example.com"), "billing", "Says delivered - it wasn't",
  """
Hi,

My order (20261102114477) shows as delivered at 14:02 yesterday but there was nothing at
my door, nothing with the building security, nothing with the neighbours. I've paid for
this so I'd like to know where it actually went. I'm sending this to billing because it
was the only email I could find on the receipt.

Ben
"""),
M(32, "logistics-frozen-three-days", "zh", "support", ["order-tracking"],
  "Simplified; tracking has not moved for three days",
  ("Cici", "cici_0521@example.cn"), "support", "快递三天没动了",
  """
你好，我11月3号下的单，买的除湿机，物流一直显示在“广州转运中心”，三天了都没有更新，
订单号20261103008231。是不是丢件了？能帮我催一下吗？着急用，家里墙都发霉了。
""", kind="alt"),
M(33, "how-long-to-chengdu-sales", "en", "support", ["shipping-delivery-times"],
  "pre-sale shipping question sent to sales@; shipping is support under the policy",
  ("Tom Becker", "tbecker@example.com"), "sales", "Delivery to Chengdu before the 20th?",
  """
Hello,

I'm thinking about ordering the AP-600 as a present for my in-laws in Chengdu. If I
order this weekend will it get there before the 20th, and what will delivery cost me?
I'm in Shanghai but it would go straight to their flat.

Thanks
Tom Becker
"""),
M(34, "xinjiang-how-many-days", "zh", "support", ["shipping-delivery-times"],
  "Simplified; delivery time and fee to Urumqi",
  ("买买提", "maimaiti.a@example.cn"), "support", "乌鲁木齐能发货吗",
  """
您好，我在乌鲁木齐，想买一台电饭煲和一个电水壶，请问能发到我们这里吗？大概要几天？
我们这边好多网店都说偏远地区不包邮，你们家要加运费吗？
""", charset="GB2312", cte="8bit"),
M(35, "tw-customs-sms-verify", "zh", "support", ["shipping-hk-macau-taiwan"],
  "Taiwan Traditional; got an SMS about real-name verification and does not trust it",
  ("黃俊傑", "junjie.huang@example.com.tw"), "support", "收到海關簡訊是真的嗎",
  """
你好，

我上週在你們官網訂了掃地機器人寄台北，今天收到一封簡訊說要去下載什麼App做實名認證，
不然包裹會被扣住。現在詐騙很多，我不太敢點。請問這是真的嗎？要怎麼做？
另外聽說還要付稅，是要付給誰？

黃先生
""", charset="Big5", cte="8bit"),
M(36, "hk-shipping-fee-how-much", "zh", "support", ["shipping-hk-macau-taiwan"],
  "Cantonese; shipping fee and time to Hong Kong, asks about duty",
  ("Eric Tse", "erictse@example.com.hk"), "support", "寄香港要幾多運費",
  """
你好，想問下如果我喺你哋大陸官網買部抽濕機寄嚟香港，運費大概幾多？要幾耐先到？
使唔使另外俾關稅？我見淘寶有啲賣家寄嚟要成百幾蚊運費，所以想問清楚先。
唔該
"""),
M(37, "dhl-wants-money-perth", "en", "support", ["shipping-international"],
  "Australia; courier asking for GST before delivery",
  ("Liam O'Connor", "liam.oconnor@example.com.au"), "support", "DHL asking me to pay before delivery??",
  """
G'day,

Got a text from DHL saying my parcel from you is held and I need to pay about AUD 60 in
"duties and taxes" before they'll deliver. Nobody said anything about this when I paid on
your site. Is this legit and do I really have to pay it? Order INT-88213, a robot vacuum,
going to Perth.

Liam
"""),
M(38, "sg-gst-customs-held", "mixed", "support", ["shipping-international"],
  "Singapore; parcel held at customs, asks what document is needed",
  ("Grace Tan", "grace.tan@example.com.sg"), "support", "parcel held at customs 新加坡",
  """
Hi,

我上个礼拜在你们 international store 买了一台 air purifier 寄到 Singapore，
FedEx 说 parcel held at customs，要我 provide commercial invoice，
我不知道去哪里拿这个东西。可以帮忙 send 给 FedEx 吗？tracking number 是 7741 2290 5536。

Thanks ah
Grace
"""),
M(39, "ordered-twice-by-accident", "en", "support", ["cancel-order"],
  "duplicate order placed by mistake, wants one cancelled",
  ("Nina Petrova", "nina.petrova@example.com"), "support", "I bought the same thing twice",
  """
Hello,

I think my internet froze and I ended up ordering the same kettle twice, 20261106340012
and 20261106340019, about a minute apart. I only need one! Please cancel the second
one. Both still say "awaiting shipment".

Nina
"""),
M(40, "wrong-model-cancel-billing", "zh", "support", ["cancel-order"],
  "Simplified, sent to billing@; ordered the wrong model and wants to cancel before shipping",
  ("杨帆", "yangfan.sh@example.cn"), "billing", "下错单了 不要了",
  """
财务你好（不知道发给谁，就发到这个邮箱了）：

我刚才想买AP-600结果手滑买成了AP-400，订单号20261107556120，还没发货。
这个单我不要了，钱能退回来吗？我重新下一个对的。

杨
"""),
M(41, "moving-house-new-address", "en", "support", ["change-order-address"],
  "moving before delivery; wants the order sent to the new flat",
  ("Joe Mitchell", "joe.mitchell@example.net"), "support", "address",
  """
hey - I ordered a dehumidifier on Tuesday and just realised it's going to the old flat,
we move out on Friday. new address is Room 1203, 88 Lane 500, Changning Rd, Shanghai.
it hasnt shipped yet I think. can you change it or do I have to do something

thx
joe
"""),
M(42, "phone-number-typo", "zh", "support", ["change-order-address"],
  "Simplified; wrong phone number on the order, afraid the courier cannot reach her",
  ("田甜", "tiantian@example.cn"), "support", "收件电话填错一位",
  """
你好，我刚刚下的单，收件人手机号少打了一位数字，怕快递打不通电话。
订单还显示待发货，我在App里没找到在哪里改，正确号码是139XXXX8820，麻烦帮我改一下，谢谢！
""", kind="html"),
M(43, "cat-hates-the-robot", "en", "support", ["returns-7-day"],
  "change of mind four days after delivery, said as 'send it back'; the product is fine",
  ("Sophie Turner", "sophie.t@example.co.uk"), "support", "not for us",
  """
Hi,

The robot vacuum came on Saturday. It does the job, there's no fault, but our cat is
absolutely terrified of it and has been hiding behind the fridge for three days, so
it has to go. I've kept the box and the foam bits. How do we send it back, and will
the whole amount come back to my card or do you keep something for postage?

Sophie
"""),
M(44, "never-mind-neighbour-had-it", "zh", "support", [],
  "reply to our acknowledgement: the parcel was with a neighbour; nothing left to answer",
  ("马丽", "mali.cd@example.cn"), "support", "Re: 快递显示签收但没收到",
  """
不用查了，找到了，被对门邻居代收了，放在他家好几天都忘了告诉我。
不好意思麻烦你们了。

马丽

-----原始邮件-----
发件人: "Acme 客服" <support@acme-appliances.example>
发送时间: 2026年11月8日 10:14
收件人: mali.cd@example.cn
主题: 回复：快递显示签收但没收到

""" + ACK_ZH.format(t="FD-2611-0831"), reply_to_id="ack-0831@acme-appliances.example"),
M(45, "came-in-white-wanted-grey", "en", "support", ["exchanges"],
  "wrong colour delivered; wants the one ordered",
  ("Ahmed Rashid", "ahmed.rashid@example.ae"), "support", "Wrong one",
  """
Hello,

I ordered the kettle in the dark grey and what came today is white. The order page
definitely says grey, I have a screenshot. I don't want the white one, can you swap it?
I haven't used it.

Ahmed Rashid
""", kind="mixed", attach=[("image/png", "order-screenshot.png", PNG1)]),
M(46, "tw-broke-after-a-week", "zh", "support", ["exchanges"],
  "Taiwan Traditional; kettle stopped working after a week and she wants a new one, not a repair",
  ("蔡宜蓁", "yichen.tsai@example.com.tw"), "support", "才用一個禮拜就壞了",
  """
您好，

我上星期三收到的快煮壺，用了一個禮拜今天早上就完全不會熱了，指示燈也不亮。
才剛買就壞，我不想送修，可以直接換一台新的嗎？我有拍影片。

蔡小姐
""", charset="Big5", cte="quoted-printable"),
M(47, "jug-cracked-box-crushed-sales", "en", "support", ["damaged-on-arrival"],
  "sent to sales@; box crushed, glass body cracked on delivery",
  ("Rosa Martinez", "rosa.martinez@example.es"), "sales", "Arrived smashed",
  """
Hi there,

The kettle arrived an hour ago and one corner of the box was completely caved in. When I
opened it the glass part has a crack right down the side. I took photos of everything
including the label on the box. I haven't thrown anything away. What happens now?

Rosa
""", kind="mixed", attach=[("image/png", "box.png", PNG2), ("image/png", "crack.png", PNG3)]),
M(48, "mop-cloth-missing", "zh", "support", ["damaged-on-arrival"],
  "Simplified; robot delivered without the mop pads listed on the box",
  ("林晓", "linxiao@example.cn"), "support", "拖布没在盒子里",
  """
你好，昨天收到扫地机器人，包装盒上印着配两块拖布和一个水箱，但是拆开只有水箱，
拖布找遍了泡沫里面也没有。是漏装了吗？能不能补寄？
""", charset="GB18030", cte="8bit"),
M(49, "price-fell-next-week", "en", "support", ["price-protection"],
  "price fell a week after purchase; wants the difference",
  ("Paul Jenkins", "paul.jenkins@example.com"), "support", "Bit annoyed",
  """
Hi,

I paid 1,899 for the S8 robot on the 2nd and today the same thing on your website is
1,599. That's 300 gone for buying a week too early. Can you sort that out somehow, or
should I return it and buy it again?

Paul
"""),
M(50, "bought-too-expensive-double11", "zh", "support", ["price-protection"],
  "Simplified; price dropped ten days after purchase",
  ("周婷", "zhouting@example.cn"), "support", "刚买十天就降价",
  """
客服你好，我10月31号买的净化器付了2399，今天打开你们官网一看同一款变成2099了，
才过了十天，差了三百块，心里很不舒服。这个差价能退给我吗？不是直播间买的，就是官网正常下单。
""", charset="GBK", cte="base64"),
]
MAILS += [
M(51, "promo-code-says-invalid", "en", "support", ["coupons"],
  "a code from a flyer rejected at checkout on a flash-sale item; coupons is the order side of support here",
  ("Megan Clarke", "megan.clarke@example.com"), "support", "code won't work",
  """
Hi,

I got a card in my last parcel with a code on it (ACME50, 50 off over 500). I'm trying to
use it on the rice cooker which is on the lightning deal at the moment and it just says
"not applicable". The card doesn't say it's expired. What am I doing wrong?

Megan
"""),
M(52, "return-and-my-voucher", "zh", "support", ["returns-7-day", "coupons"],
  "Simplified; return within 7 days and asks whether the voucher used on the order comes back",
  ("许诺", "xunuo@example.cn"), "support", "退货的话券还能回来吗",
  """
你好，

我前天收到的电水壶，家里人又送了一个一模一样的，所以这个想退掉，包装都还在，没用过。
当时结账用掉一张满300减50的券，退货以后这张券会还给我吗？券是12月底才过期的。
另外退货要我自己寄吗？

许诺
""", charset="GBK", cte="8bit"),
M(53, "jd-bought-motor-warranty", "en", "support", ["warranty-policy", "repair-booking"],
  "bought from another shop 20 months ago; asks whether the motor is still covered and how to get it fixed",
  ("Victor Huang", "victor.huang@example.com"), "support", "Purifier fan making grinding noise",
  """
Hello,

My air purifier (AP-400) has started making a grinding noise from inside and the fan
slows down and speeds up by itself. I didn't buy it from you directly, it was from JD
about 20 months ago, I still have the order in the JD app.

Two questions: is the motor still under guarantee at 20 months, and since I didn't
buy it on your store, how do I get it repaired?

Thanks
Victor Huang
"""),
M(54, "thanks-chat-agent-wifi", "en", "support", [],
  "thank-you note for a chat agent who fixed a pairing problem; asks nothing",
  ("Margaret Wu", "margaret.wu@example.com"), "support", "Thank you",
  """
Dear Acme,

Just a short note to say thank you to the lady on your online chat last night (Jenny,
I think) who spent forty minutes with me getting the purifier onto the phone. I am 74
and not good with these things, and she never once made me feel silly. It is all
working now and I can switch it on from bed.

Best wishes,
Margaret Wu
"""),
M(55, "fixed-itself-after-restart", "zh", "support", [],
  "Simplified; reply to our acknowledgement: the fault went away on its own",
  ("钱多多", "qianduoduo@example.cn"), "support", "回复：扫地机不动了",
  """
你好，不好意思，昨天发邮件说扫地机不动了，今天早上重启了一下路由器和机器，
它又自己好了，正在扫呢。这个工单可以关掉了，谢谢。

> Acme 客服 <support@acme-appliances.example> 于2026年11月9日 写道：
""" + "".join("> " + l + "\n" for l in ACK_ZH.format(t="FD-2611-0902").splitlines()),
  reply_to_id="ack-0902@acme-appliances.example", charset="GB18030", cte="quoted-printable"),
M(56, "courier-threw-parcel", "en", "support", [],
  "complaint about a courier's behaviour; the product is fine and nothing is asked",
  ("Keith Barnes", "keith.barnes@example.net"), "support", "Your delivery driver",
  """
I'm writing simply so someone at your company knows. Your delivery driver this
afternoon threw the box over our gate from the van window and drove off before I got to
the door. Luckily the dehumidifier inside seems fine and works. I don't want anything,
but if I were you I would think about which courier you use.

K. Barnes
"""),
M(57, "other-brand-air-fryer", "zh", "support", [],
  "Simplified; the appliance is another brand's air fryer bought in a supermarket; no entry helps",
  ("邓女士", "dengns@example.cn"), "support", "空气炸锅加热不均匀",
  """
你好，我家的空气炸锅是去年在超市买的，不是你们这个牌子，是一个叫“厨小宝”的，最近炸东西一边焦一边生，
里面的篮子也有点松了。朋友说你们也是做小家电的，请问你们这里能不能帮忙修一下？
""", charset="GB2312", cte="base64"),
M(58, "out-of-office-reply", "en", "support", [],
  "auto-reply from a customer's mailbox to our acknowledgement",
  ("Daniel Price", "d.price@example-corp.com"), "support", "Automatic reply: Your ticket FD-2611-0877",
  """
I'm currently on annual leave and back on 23 November. Mail is not being read or
forwarded while I'm away. For anything urgent please contact my colleague Sarah Lim
(s.lim@example-corp.com).

Daniel Price
""", headers=["Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All"],
  reply_to_id="ack-0877@acme-appliances.example"),
M(59, "hk-thanks-technician", "mixed", "support", [],
  "Cantonese/English thank-you after a home repair; nothing asked",
  ("Ivy Cheung", "ivycheung@example.com.hk"), "support", "Thank you 師傅",
  """
Hi team,

尋日你哋嘅師傅嚟我屋企整部抽濕機，好 professional，半個鐘就搞掂，仲教埋我點樣清個 filter。
Please pass on my thanks to him 同埋佢個 supervisor。
Have a nice day!

Ivy
"""),
M(60, "return-money-when-back", "mixed", "support", ["returns-7-day", "refund-timing"],
  "return started after 5 days, asks when the money comes back to her WeChat Pay; return-led so support",
  ("Yuki Chen", "yukichen@example.com"), "support", "退货 + refund 什么时候到",
  """
Hi,

我上周五收到的 rice cooker，用了一次发现太小了，不够我们家五口人吃，想 return。
Order 号 20261104226018。我想知道两件事：
1. 退货是不是你们安排快递来拿？运费要我出吗？
2. Refund 大概几天能回到我的 WeChat Pay？

Thanks
Yuki
"""),
# --- sales ------------------------------------------------------------------------------
M(61, "fifty-purifiers-for-offices", "en", "sales", ["corporate-bulk-purchase"],
  "office fit-out: 50 purifiers, asks for a quote and invoice by bank transfer",
  ("Laura Kim", "laura.kim@example-fitout.com"), "sales", "Quote request - 50 air purifiers",
  """
Dear Sales Team,

We are fitting out new offices for a client across three floors in Jing'an and need
around 50 air purifiers, probably the larger model, delivered in the second half of
January. Could you send us pricing at that quantity and your payment terms? Our client
would prefer to pay by bank transfer against a proforma.

Best regards,

Laura Kim
Project Manager
Brightline Interiors (Shanghai) Co., Ltd.
T +86 21 5555 0192
""", kind="alt"),
M(62, "annual-party-kettles-special-invoice-support", "zh", "sales", ["corporate-bulk-purchase", "invoice-vat-special"],
  "Simplified, sent to support@; 120 kettles for the annual party, needs a VAT special invoice",
  ("行政部 王敏", "wangmin.hr@example-corp.cn"), "support", "年会奖品采购咨询",
  """
您好：

我们公司年底年会想采购一批电水壶做奖品和员工福利，大概120个，送到苏州工业园区。
想了解一下：
1、这个数量有没有优惠，能不能出一份正式报价单？
2、我们是一般纳税人，财务要求开增值税专用发票，可以开吗？
3、最晚1月10号前要到货。

麻烦尽快回复，谢谢！

王敏
行政部
""", charset="GBK", cte="quoted-printable"),
M(63, "malaysia-distributor-support", "en", "sales", ["dealer-partnership"],
  "sent to support@; a Malaysian retailer wants to distribute the range",
  ("Faizal Rahman", "faizal@example-homeliving.my"), "support", "Distribution in Malaysia",
  """
Hello,

I run a chain of six home-appliance shops in Penang and Kuala Lumpur and we also sell on
Shopee and Lazada. Customers keep asking for your robot vacuums and purifiers, which we
can only get through grey importers. We would like to carry the range officially. Who
should I talk to and what do you need from us?

Faizal Rahman
Director, HomeLiving Sdn Bhd
"""),
M(64, "county-town-agent", "zh", "sales", ["dealer-partnership"],
  "Simplified; a county-town shop owner wants to become an agent and asks about fees",
  ("老张家电", "laozhang.jd@example.cn"), "sales", "想在我们县城代理你们的产品",
  """
你好，我在河南一个县城开了十几年家电店，现在年轻人都认你们这个牌子，
想问问怎么才能拿到代理？要不要交加盟费？拿货价大概怎么算？
我们这边还没有你们的店。

张老板
""", hmode="Q", quoted_name=True, charset="GB2312", cte="8bit"),
M(65, "forty-square-metre-living-room", "en", "sales", ["choosing-a-model"],
  "which purifier for a 40 m2 open-plan room",
  ("Chris Dunn", "chris.dunn@example.com"), "sales", "Which one for an open-plan space?",
  """
Hi,

Our living room and kitchen are one open space, about 40 square metres, with quite high
ceilings. We cook a lot and there's the smoke in winter. Is the smaller purifier enough
or should we get the bigger one? Don't want to waste money but don't want it running
flat out all day either.

Chris
"""),
M(66, "two-cats-which-robot", "zh", "sales", ["choosing-a-model"],
  "Simplified; which robot vacuum for a home with two cats and wood floors, with mopping",
  ("猫奴小雨", "xiaoyu.cat@example.cn"), "sales", "养两只猫买哪个扫地机",
  """
你好，家里两只猫，掉毛特别厉害，地面是木地板。想买个扫地机器人，
最好还能拖地，也不想天天倒垃圾。你们那几款有什么区别，我该选哪一个？
""", charset="UTF-8", cte="base64"),
M(67, "baby-room-how-quiet", "mixed", "sales", ["energy-noise-specs"],
  "mixed; noise in sleep mode and power draw for a baby's room, before buying",
  ("Anna Li", "anna.li@example.com"), "sales", "purifier for baby room - how quiet?",
  """
Hi 你好,

宝宝下个月出生，想在 nursery 放一台空气净化器，晚上要一直开着。
想问一下 sleep mode 的时候有多少 dB？会不会有灯很亮？
还有一直开着的话一个月大概用多少电，power consumption 大吗？

Thanks
Anna
"""),
M(68, "rice-cooker-to-california", "en", "sales", ["overseas-voltage"],
  "taking a mainland rice cooker to the US (110 V)",
  ("Kevin Zhang", "kevin.zhang@example.edu"), "sales", "Rice cooker in the US?",
  """
Hi,

I'm going back to California after my exchange year and my host family wants to give me
one of your rice cookers as a goodbye present. Will it work over there if I just buy a
plug adapter? The sockets there are different and I think the voltage too.

Kevin
"""),
M(69, "hk-payme-installments", "zh", "sales", ["payment-methods"],
  "Cantonese, before buying; asks whether PayMe and instalments are accepted in the HK store",
  ("Ken Ho", "kenho.hk@example.com.hk"), "sales", "可唔可以用PayMe俾錢",
  """
你好，我想喺香港官網買部掃地機械人，想問下可唔可以用PayMe或者轉數快俾錢？
如果用信用卡嘅話，有冇得分期？我冇大陸嘅支付寶，唔知會唔會有問題。
唔該晒
""", charset="Big5-HKSCS", cte="base64"),
M(70, "seo-agency-first-page", "en", "pr", [],
  "unsolicited SEO/marketing agency pitch sent to sales@; a supplier's pitch is not a sale: pr, as eval/dev's agency pitch",
  ("Ryan Cole", "ryan@example-growthseo.com"), "sales", "Quick question about acme-appliances.example",
  """
Hi there,

I was looking at acme-appliances.example and noticed you're not ranking on page one for
"best robot vacuum 2027" or "quiet air purifier". We've helped 300+ ecommerce brands
triple their organic traffic in under 6 months.

Would you be open to a 15-minute call this week? I can send over a free audit.

Best,
Ryan Cole
Growth Lead, GrowthSEO
Unsubscribe: reply STOP
"""),
M(71, "does-the-cooker-do-slow-cook", "en", "sales", [],
  "pre-sale question about a cooking programme; the catalog has no entry for product features",
  ("Helen Brooks", "helen.brooks@example.com"), "sales", "slow cooker function?",
  """
Hello,

Before I buy the rice cooker - can it be used as a slow cooker for stews, like 6-8 hours
on low? And is there a delay timer so I can set it in the morning and have rice ready
when I get home? The product page doesn't really say.

Thanks,
Helen
"""),
M(72, "trade-in-old-purifier", "zh", "sales", [],
  "Simplified; asks about trading in an old purifier before buying; no catalog entry covers trade-in programmes",
  ("郭明", "guoming@example.cn"), "sales", "旧净化器能不能抵钱",
  """
你好，我家里有一台用了六七年的别的牌子的空气净化器，想换你们的AP-600。
听说有的品牌可以旧的折价换新的，你们有没有这种活动？旧机器要怎么处理，是你们上门收吗？
""", charset="GBK", cte="quoted-printable"),
]

# --- finance ----------------------------------------------------------------------------
MAILS += [
M(73, "two-debits-one-order-support", "en", "finance", ["payment-problems"],
  "sent to support@; the same order taken twice from the card, screenshot attached",
  ("Jamie Fletcher", "jamie.fletcher@example.com"), "support", "Taken twice!!",
  """
Hi

Just checked my banking app and you've taken 499.00 twice for the kettle, both at 19:41
on the 10th. There's only one order in my account (20261110771845). Screenshot attached.
I'd like the extra one back please, that's my food shop money.

Jamie
""", kind="mixed", attach=[("image/png", "IMG_4471.png", PNG3)]),
M(74, "paid-but-shows-unpaid", "zh", "finance", ["payment-problems"],
  "Simplified; WeChat paid, order still awaiting payment",
  ("宋雨", "songyu@example.cn"), "billing", "钱扣了订单还是待付款",
  """
您好，

我昨天晚上用微信付了一台电饭煲的钱，微信账单里已经显示支付成功，扣了599元，
但是订单到现在还是“待付款”状态，还提醒我30分钟内付款不然就取消。
我要不要再付一次？怕付两次钱。

宋雨
""", quoted_name=True, charset="GBK", cte="base64"),
M(75, "refund-success-card-empty", "mixed", "finance", ["refund-timing"],
  "mixed; refund shown as completed 6 days ago but not on the credit card",
  ("Leo Wang", "leo.wang@example.com"), "billing", "refund 显示成功但是没到账",
  """
Hi,

我上个月退的那台 dehumidifier，App 里面 after-sales 显示“退款成功”已经 6 天了，
可是我的 credit card statement 上面还是没有看到这笔钱。是不是你们那边出问题了？
Amount 是 1,699，付款用的是招商银行 credit card。

Leo
"""),
M(76, "tw-refund-still-waiting-sales", "zh", "finance", ["refund-timing"],
  "Taiwan Traditional, sent to sales@; returned item received by the warehouse, no refund yet",
  ("許雅婷", "yating.hsu@example.com.tw"), "sales", "退款到底什麼時候會退",
  """
您好，

我退回的空氣清淨機，物流顯示上週五就送到你們倉庫了，可是到今天都還沒收到退款，
App裡也只寫「處理中」。我是刷信用卡付的，請問還要等多久？
不好意思不知道該寄給哪個部門，先寄到這裡。

許小姐
""", charset="Big5", cte="quoted-printable"),
M(77, "expenses-need-company-invoice", "en", "finance", ["invoice-request"],
  "no invoice asked for at checkout; wants one in the company's name for an expense claim",
  ("Samuel Ortiz", "samuel.ortiz@example.com"), "billing", "Receipt with company name",
  """
Hello,

I bought an air purifier for our team room three weeks ago (order 20261019443920) and
paid with my own card. Finance here will only reimburse me if I hand in a proper fapiao
with the company's name and tax number on it, which I didn't think of when I ordered.
Is it too late? Company: Northwind Consulting (Shanghai) Co., Ltd.

Regards,
Samuel Ortiz
"""),
M(78, "invoice-personal-should-be-company", "zh", "finance", ["invoice-correction"],
  "Simplified; invoice issued to a person, needs it reissued to the company",
  ("陈会计", "chen.kj@example-corp.cn"), "billing", "发票抬头开错了",
  """
你好，

我们上周买的两台净水器，发票开出来抬头是我们经办人的名字，不是公司名称，
报不了账。麻烦帮我们重新开一张，抬头：苏州恒达精密机械有限公司，
税号：91320500MA1XXXXXX7。原来那张要怎么处理？

陈会计
""", charset="GB18030", cte="8bit"),
M(79, "special-invoice-details-attached", "mixed", "finance", ["invoice-vat-special"],
  "mixed; a general taxpayer wants a VAT special invoice and sends its billing details as a PDF",
  ("Nancy Xu", "nancy.xu@example-tech.cn"), "billing", "开专票 / VAT special invoice request",
  """
Dear billing team,

我们公司是一般纳税人，上周在官网下单买了 6 台 AP-600（order 20261105119203），
需要开增值税专用发票用来抵扣。开票信息（company name, tax ID, address, bank account）
都在附件 PDF 里。请问多久能开出来？

Best regards,
Nancy Xu | Admin & Finance
""", kind="mixed", attach=[("application/pdf", "开票信息.pdf", pdf("Billing details: Example Tech (Shenzhen) Co Ltd"))]),
M(80, "tax-number-one-digit-wrong-support", "zh", "finance", ["invoice-correction"],
  "Simplified, sent to support@; one digit of the taxpayer ID on the invoice is wrong",
  ("赵会计", "zhao.cw@example.cn"), "support", "发票税号错了一位",
  """
您好，收到贵司开的电子发票，核对的时候发现纳税人识别号倒数第三位写错了，
应该是8写成了3，这样我们没法入账。请问怎么重开？需要我们提供什么资料？
订单号20261028660147。
""", charset="GB2312", cte="quoted-printable"),
M(81, "card-declined-other-ways", "en", "finance", ["payment-problems", "payment-methods"],
  "card declined three times and money shows as pending; asks what else she can pay with",
  ("Olivia Brown", "olivia.brown@example.co.uk"), "billing", "Card keeps getting declined",
  """
Hi,

I'm trying to buy the robot vacuum on your international site and my Visa gets declined
every time (3 tries now). My bank app shows the amount as "pending" though, so now I'm
scared I've paid three times. Have I? And is there another way I could pay that would
actually work, PayPal or something?

Olivia
"""),
M(82, "remittance-advice-auto", "mixed", "finance", [],
  "a customer company's automatic remittance advice for an invoice already agreed; nothing to answer",
  ("Accounts Payable", "ap-noreply@example-hotels.com"), "billing", "Remittance Advice 付款通知 - PO 4500021187",
  """
Dear Supplier / 尊敬的供应商,

This is to advise that payment has been made as below. 我司已按以下信息付款，请查收。

Payee / 收款方: Acme Appliances
PO number / 采购订单号: 4500021187
Amount / 金额: CNY 86,400.00
Value date / 付款日期: 2026-11-12

This is a system generated message, please do not reply. 本邮件由系统自动发送，请勿回复。
""", headers=["Auto-Submitted: auto-generated"]),
M(83, "refund-arrived-thanks", "en", "finance", [],
  "reply quoting our acknowledgement (Outlook block): the refund arrived, nothing asked",
  ("Rachel Green", "rachel.green@example.com"), "billing", "RE: Refund for order 20261021338810",
  """
Hi,

Ignore my last email - the money turned up this morning. Thanks anyway!

Rachel

________________________________
From: Acme Billing Team <billing@acme-appliances.example>
Sent: Thursday, November 12, 2026 09:03
To: Rachel Green <rachel.green@example.com>
Subject: Refund for order 20261021338810

""" + ACK_EN.format(t="FD-2611-1044"), reply_to_id="ack-1044@acme-appliances.example"),
M(84, "company-return-red-letter-first", "zh", "finance", ["invoice-vat-special"],
  "Simplified; a company returned a unit bought with a special invoice and the refund waits for the red-letter reversal",
  ("孟经理", "meng.jl@example-corp.cn"), "billing", "退货退款一直卡着",
  """
你好，

我们公司10月份买了5台除湿机，开的是专票，其中1台退回去了，你们客服说要财务处理，
到现在半个月了钱还没退。听说是发票的问题？我们需要做什么，是不是要我们这边先操作什么红字的东西？
请告诉我具体步骤。

孟
""", charset="GBK", cte="8bit"),
# --- hr ---------------------------------------------------------------------------------
M(85, "summer-internship-support", "en", "hr", ["careers"],
  "sent to support@; a student asks about summer internships",
  ("Priyanka Das", "priyanka.das@example.edu"), "support", "Internship",
  """
Dear Sir/Madam,

I am a third-year industrial design student at Tongji University and I really like the
design of your kettle. Do you take interns in the summer, and if so, when and how should
I apply? I am sorry if this is the wrong address, it was the only one I could find.

Yours faithfully,
Priyanka Das
"""),
M(86, "graduate-recruitment-when", "zh", "hr", ["careers"],
  "Simplified; a final-year student asks when campus recruitment opens",
  ("刘同学", "liu.tx2027@example.edu.cn"), "jobs", "请问明年校招什么时候开始",
  """
您好！我在西安读研，物流工程方向，2027年夏天毕业，对贵公司的供应链岗位很感兴趣。
想了解一下明年的校招大概几月份开放网申？网申入口在哪里？寒假期间有没有短期实习可以报名？
谢谢！
"""),
M(87, "cv-attached-ecommerce", "mixed", "hr", [],
  "mixed; a CV sent to jobs@ for a named opening: already applied the right way, nothing to answer",
  ("李明", "liming.career@example.com"), "jobs", "应聘 电商运营 E-commerce Operations - 李明",
  """
HR 您好，

我在 careers 页面看到贵公司招聘 E-commerce Operations Specialist（电商运营），
附件是我的 CV，我有 4 年 Tmall 和 JD 店铺运营经验，熟悉 livestream 带货。
期待有机会面谈，谢谢！

李明
138XXXX5521
""", kind="mixed", attach=[("application/pdf", "简历-李明.pdf", pdf("CV Li Ming - E-commerce Operations"))],
  quoted_name=True, hmode="Q"),
M(88, "hk-customer-service-job", "zh", "hr", ["careers"],
  "Cantonese; asks whether there are customer-service jobs and how to apply",
  ("Cheng Wing Yan", "wingyan.cheng@example.com.hk"), "jobs", "想問下有冇客服職位請人",
  """
你好，我係香港人，之前喺電訊公司做咗三年客戶服務，最近想轉工。
想問下你哋有冇請客服？係咪要識講普通話？應該點樣申請？
唔該晒
""", charset="Big5-HKSCS", cte="base64"),
M(89, "training-fee-job-offer-support", "en", "hr", ["careers"],
  "sent to support@; a 'recruiter' asked for a fee, the careers entry says no fee is ever charged",
  ("Michael Osei", "michael.osei@example.com"), "support", "Is this job offer from you real?",
  """
Hello,

Someone contacted me on WhatsApp saying they are HR for Acme Appliances and offering me a
remote "order reviewer" job. They want me to pay 800 yuan for training and a uniform
before I start. It sounds strange to me. Are you actually hiring for this, and do you
ask people to pay?

Michael
"""),
M(90, "interview-any-news", "mixed", "hr", [],
  "mixed; follow-up after an interview; nothing in the catalog answers it",
  ("Zoe Lin", "zoelin@example.com"), "jobs", "Follow up - 供应链 interview",
  """
Hi Ms. Wang,

上周三我来公司面试了 supply chain planner 的岗位，和您以及 Mr. Zhou 聊得很愉快。
想跟进一下 interview 的结果，不知道现在有没有 update？如果需要补充材料请随时告诉我。

Best,
Zoe Lin
"""),
# --- pr ---------------------------------------------------------------------------------
M(91, "reporter-recall-comment-support", "en", "pr", ["press-contact"],
  "sent to support@; a journalist wants comment on the kettle recall (safety-recall left out: a reporter, not an owner)",
  ("Julia Novak", "j.novak@example-news.com"), "support", "Media enquiry: kettle base recall",
  """
Hello,

I'm a consumer affairs reporter at Example News. We're preparing a piece on the recall of
the power base for one of your kettles and would like a comment from the company, ideally
someone we could speak to by phone, by Thursday 17:00. How many units are affected and
have there been any injuries?

Julia Novak
Consumer Affairs Correspondent, Example News
"""),
M(92, "self-media-review-unit-sales", "zh", "pr", ["press-contact"],
  "Simplified, sent to sales@; a self-media reviewer asks for a review unit",
  ("数码老周", "laozhou.review@example.cn"), "sales", "测评合作申请",
  """
你好，我是一个做家电测评的自媒体作者，抖音和B站加起来有三十多万粉丝。
最近想做一期扫地机器人横评，想申请一台你们的S8做测试，测完可以寄回。
请问应该找哪个部门申请？需要提供什么资料？
""", charset="UTF-8", cte="quoted-printable"),
M(93, "bilibili-up-collab-support", "mixed", "pr", ["press-contact"],
  "mixed, sent to support@; a video creator proposes a collaboration",
  ("阿May", "amay.vlog@example.com"), "support", "合作 collaboration proposal",
  """
Hi Acme team,

我是 B 站的 lifestyle UP 主 阿May，主要拍 small apartment 和 home tour 的内容。
我家里一直在用你们的 air purifier，很喜欢。想问问有没有 brand collaboration 的机会，
比如 sponsored video 或者新品体验？我的 media kit 可以另外发。

Thanks!
阿May
"""),
M(94, "school-charity-run-sponsor", "en", "pr", [],
  "sponsorship request from a school charity run; no catalog entry covers sponsorship",
  ("Deborah Hills", "d.hills@example-school.org"), "press", "Sponsorship - Spring Fun Run",
  """
Dear Acme team,

Our international school holds a charity fun run every April, raising money for a local
children's hospital. We're looking for sponsors for prizes for the raffle - a robot
vacuum or air purifier would be a very popular top prize! In return your logo would
appear on the T-shirts and banner.

Would you consider supporting us? I'd be happy to send more details.

Kind regards,
Deborah Hills
PTA Events Coordinator
"""),
M(95, "university-club-sponsor-sales", "zh", "pr", [],
  "Simplified, sent to sales@; a university society asks for sponsorship",
  ("校学生会外联部", "wailian@example.edu.cn"), "sales", "赞助合作邀请",
  """
尊敬的负责人您好：

我们是某大学学生会外联部，学校将于12月下旬举办“宿舍文化节”，预计有两千多名同学参加。
诚邀贵公司赞助活动奖品，我们可以在海报、横幅和公众号推文中展示贵公司的品牌。
详细的赞助方案可以另行发送，期待您的回复！

外联部 小杨
""", kind="html", charset="GB2312", cte="base64"),
M(96, "podcast-founder-interview", "en", "pr", [],
  "interview request for a podcast sent to press@ already; nothing in the catalog answers it",
  ("Marco Rossi", "marco@example-podcast.fm"), "press", "Podcast guest invitation",
  """
Hi,

I host "Made in Asia", a weekly podcast about consumer hardware brands (about 40k
listeners per episode). We'd love to have your founder or head of product on the show
to talk about designing appliances for small apartments. Recording is remote, 45
minutes, any time in December or January.

Let me know if there's interest!
Marco
""", kind="alt"),
M(97, "tw-reporter-needs-photos", "zh", "pr", ["press-contact"],
  "Taiwan Traditional; a reporter needs high-resolution product photos and the logo",
  ("鄭記者", "cheng.reporter@example-media.tw"), "press", "索取高解析產品照片",
  """
您好，

我是生活線記者，正在寫一篇年底除濕機選購的專題，預計下週二刊出。
想跟貴公司索取除濕機的高解析產品照片和品牌標誌，另外如果有新聞稿也麻煩一併提供。
請問要去哪裡下載，或是可以直接寄給我嗎？

鄭記者 敬上
""", charset="Big5", cte="base64"),
M(98, "xiaohongshu-review-unit", "mixed", "pr", ["press-contact"],
  "mixed; a Xiaohongshu creator asks how to apply for a review unit",
  ("Luna 露娜", "luna.home@example.com"), "press", "小红书博主 review unit 申请",
  """
Hello，

我是小红书 home & living 博主 Luna，粉丝 8 万左右。想做一篇 rice cooker 的 review，
请问申请 review unit 的流程是什么？需要提供哪些 information？
计划 12 月中旬发布。

Thanks 谢谢
Luna
"""),
M(99, "rumour-statement-request", "mixed", "pr", [],
  "mixed; a blogger asks for a public statement on a factory rumour; no catalog entry answers it",
  ("Tech Gossip Daily", "editor@example-techgossip.com"), "press", "Request for statement 工厂传闻",
  """
Hi,

网上有传言说你们在宁波的 factory 上周发生了火灾，影响了双十二的 delivery。
Could you confirm whether this is true and give us an official statement?
我们计划今晚 publish，如果没有回应我们会写 "declined to comment"。

Editor, Tech Gossip Daily
"""),
M(100, "double-eleven-sales-data", "zh", "pr", [],
  "Simplified; a business journalist asks for Double 11 sales figures; nothing in the catalog answers it",
  ("财经记者 孙", "sun.reporter@example-finance.cn"), "press", "关于双十一销售数据的采访请求",
  """
您好，

我是某财经媒体的记者，正在做今年双十一小家电品类的复盘报道。
想请教贵公司今年双十一期间的整体销售额、同比增长情况，以及扫地机器人和净化器哪个品类卖得最好。
如方便，希望能安排一次十五分钟左右的电话采访。

孙
""", charset="GB18030", cte="quoted-printable"),
]
# --- a few more: entries seen only once, a forwarded mail ---------------------------------
MAILS += [
M(101, "hk-mainland-dehumidifier-plug", "mixed", "support", ["overseas-voltage"],
  "Cantonese/English; bought a mainland dehumidifier, will use it in Hong Kong: plug and voltage",
  ("Carmen Yip", "carmenyip@example.com.hk"), "support", "大陸版抽濕機喺香港用得唔得 voltage?",
  """
Hi,

我上個月喺深圳 order 咗部 dehumidifier，寄咗去我深圳親戚屋企，下個禮拜會帶返嚟香港。
香港嘅 socket 係三腳 UK plug，想問下 voltage 係咪一樣？我淨係買個 adapter 就得，
定係要買埋 transformer？唔想一插就燒咗。

Thanks
Carmen
"""),
M(102, "forwarded-order-need-fapiao", "zh", "finance", ["invoice-request"],
  "Simplified; an order confirmation forwarded by a colleague with a request for the electronic invoice",
  ("周晓梅", "zhouxm.admin@example-corp.cn"), "billing", "转发: 您的订单已发货",
  """
你好，这是我们同事下的单，转给你们。货已经收到了，但是发票一直没看到，
下单的时候好像忘了勾选开发票。麻烦开个电子普通发票，抬头写个人就行：周晓梅。
请问在哪里能下载？

---------- 转发的邮件 ----------
发件人: Acme 官方商城 <noreply@acme-appliances.example>
日期: 2026年11月6日 周五 18:22
主题: 您的订单已发货
收件人: 吴磊 <wulei@example-corp.cn>

亲爱的顾客，您的订单 20261105873362 已经发货，承运商：顺丰速运，
运单号：SF1402XXXX8817。商品：AP-400 空气净化器 x1。
""", charset="GBK", cte="base64"),
M(103, "bedroom-purifier-quiet-and-size", "en", "sales", ["choosing-a-model", "energy-noise-specs"],
  "which purifier for an 18 m2 bedroom, and how loud and power-hungry it is overnight",
  ("Tanya Ivanova", "tanya.ivanova@example.com"), "sales", "bedroom purifier",
  """
Hi,

looking at your purifiers for our bedroom which is about 18 m2. light sleeper here so
two things really. which of the two is the sensible size for that room (the big one
seems overkill?), and how loud is it at night on the lowest setting, and does it eat
a lot of electricity if it's on 24/7

ty
Tanya
"""),
M(104, "gift-wrap-and-card", "mixed", "sales", [],
  "mixed; pre-sale question about gift wrapping and a message card, which the catalog does not cover",
  ("Sunny Guo", "sunnyguo@example.com"), "sales", "gift wrapping 可以吗",
  """
Hi,

想买一台 kettle 送给我妈妈做 birthday present，直接寄到她家。
请问你们有没有 gift wrapping 服务？可以放一张 greeting card 吗？
还有包裹里面会不会有价格单，不想让她看到价格，哈哈。

Thanks
Sunny
"""),
]

# --- labels, counts, check: eval/dev/make.py's, pointed at this set -------------------------

dev.point_at(HERE, MAILS, "dev2 (tuning and starter)")


def wording_problems():
    """A dev2 mail must not copy a run of words from the catalog or from an eval/dev mail
    (quoted acknowledgements excepted: they are ours)."""
    catalog = open(dev.FAQ, encoding="utf-8").read()
    sources = [("faq.yaml", catalog)] + [("eval/dev " + dev.fname(m), m["body"]) for m in DEV_MAILS]
    return dev.wording_problems(sources, dev.shingles(ACK_EN) | dev.shingles(ACK_ZH))


if __name__ == "__main__":
    dev.main_with_wording(wording_problems)
