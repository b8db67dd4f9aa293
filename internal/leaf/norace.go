//go:build !(race && ((linux && (amd64 || arm64)) || (windows && amd64)))

package leaf

// raceEnabled is false: see race.go.
const raceEnabled = false

func raceSync() {}
