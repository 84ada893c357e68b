package retention

import (
	"encoding/json"

	"frontdesk/queue"
)

func jsonItem(it *queue.Item) ([]byte, error) { return json.Marshal(it) }
