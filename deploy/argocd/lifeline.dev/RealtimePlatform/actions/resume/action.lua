-- Resumes Lifeline's self-healing for this platform.
obj.spec.paused = false
return obj
