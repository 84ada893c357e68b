package faq

import "strings"

// productVocabulary names household appliances and the generic words for
// them in general English and Chinese (Simplified; Traditional folds to
// it): what a product is called, not what is wanted with it. A general resource, like
// the synonym table: the names of the product category, not words of any
// mail.
const productVocabulary = `
kettle | rice cooker | cooker | robot vacuum | vacuum | vacuum cleaner | air purifier | purifier
water purifier | dehumidifier | humidifier | fan | heater | air conditioner | washing machine
dryer | fridge | refrigerator | microwave | oven | toaster | blender | juicer | coffee machine
dishwasher | hair dryer | iron | appliance | device | machine | robot
电水壶 | 水壶 | 电饭煲 | 电饭锅 | 扫地机器人 | 扫地机 | 吸尘器 | 空气净化器 | 净化器 | 净水器
除湿机 | 加湿器 | 风扇 | 电暖器 | 空调 | 洗衣机 | 烘干机 | 冰箱 | 微波炉 | 烤箱 | 搅拌机
榨汁机 | 咖啡机 | 洗碗机 | 吹风机 | 电熨斗 | 电器 | 机器
`

// productTerms are the index terms of productVocabulary. Only those the
// catalog has matter: a term no entry has scores nothing.
var productTerms = func() map[string]bool {
	terms := map[string]bool{}
	for _, w := range strings.Split(productVocabulary, "|") {
		for _, line := range strings.Split(w, "\n") {
			for _, tok := range tokenizePlain(strings.TrimSpace(line)) {
				terms[tok.term] = true
			}
		}
	}
	return terms
}()

// genericProducts are the index terms of the generic words for an
// appliance in productVocabulary (appliance, device, machine, 电器,
// 机器): an entry whose title says "your appliance" is about every
// product, and a mail that says "the machine" names none.
var genericProducts = func() map[string]bool {
	terms := map[string]bool{}
	for _, w := range []string{"appliance", "device", "machine", "电器", "机器"} {
		for _, tok := range tokenizePlain(w) {
			terms[tok.term] = true
		}
	}
	return terms
}()

// productModifiers are the first words of the English names of two or
// more words that are no name on their own (water of water purifier, air
// of air purifier and air conditioner, rice of rice cooker): "no water"
// names no product.
var productModifiers = func() map[string]bool {
	names, firsts := map[string]bool{}, map[string]bool{}
	for _, w := range strings.Split(productVocabulary, "|") {
		for _, line := range strings.Split(w, "\n") {
			toks := tokenizePlain(strings.TrimSpace(line))
			if len(toks) == 1 {
				names[toks[0].term] = true
			} else if len(toks) > 1 && isASCII(toks[0].term) {
				firsts[toks[0].term] = true
			}
		}
	}
	for t := range names {
		delete(firsts, t)
	}
	return firsts
}()
