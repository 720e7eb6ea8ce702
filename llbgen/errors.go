package llbgen

// ContextError is a problem with the build context rather than with
// lambda.yaml itself, reported at the lambda.yaml path it concerns.
type ContextError struct {
	Path string
	Msg  string
}

func (e *ContextError) Error() string { return e.Msg }
