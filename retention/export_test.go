package retention

import (
	"encoding/json"

	"github.com/frontdesk-mail/frontdesk/queue"
)

func jsonItem(it *queue.Item) ([]byte, error) { return json.Marshal(it) }
