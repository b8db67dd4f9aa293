//go:build !windows

package downcall

const stubFollowsFrame = true
