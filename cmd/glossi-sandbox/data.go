package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// readData reads the --data argument: a file, "-" for stdin, or "" for none.
func readData(path string, stdin io.Reader) ([]byte, error) {
	var data []byte
	var err error
	switch path {
	case "":
		return nil, nil
	case "-":
		data, err = io.ReadAll(io.LimitReader(stdin, 1<<20))
	default:
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	// Say where text stops being JSON, not only that it is not a JSON object.
	var syntax *json.SyntaxError
	if err := json.Unmarshal(data, new(json.RawMessage)); errors.As(err, &syntax) {
		return nil, fmt.Errorf("%s is not JSON: %v at byte %d", dataName(path), err, syntax.Offset)
	} else if err != nil {
		return nil, fmt.Errorf("%s is not JSON: %v", dataName(path), err)
	}
	return data, nil
}

// dataName names the --data source in messages.
func dataName(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}
