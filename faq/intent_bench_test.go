package faq

import (
	"strings"
	"testing"
)

// BenchmarkMailIntent reads what a 4 KB mail asks (mailIntent: the cue
// scans of the linking decision and the pre-sale reading), in English and
// in Chinese, as every new mail's ranking does.
func BenchmarkMailIntent(b *testing.B) {
	en := "Hello, my kettle stopped heating this morning and the light does not come on. Could you please tell me where my order is? The tracking number has not updated for five days. I was charged twice for the same order, please refund the duplicate payment. "
	zh := "您好，我上个月买的空气净化器滤网指示灯一直在闪，请问怎么处理？我的订单已经五天没有物流更新了，麻烦帮我查一下快递到哪里了。同一个订单被扣款两次，请尽快把多扣的钱退给我，谢谢。"
	for _, bc := range []struct{ name, text string }{{"en", en}, {"zh", zh}} {
		body := strings.Repeat(bc.text, 4096/len(bc.text)+1)[:4096]
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				mailIntent("Order still not delivered", body)
			}
		})
	}
}
