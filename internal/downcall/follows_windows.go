package downcall

const stubFollowsFrame = false
