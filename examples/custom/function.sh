# handler answers an event with a greeting; the event is its argument.
handler() {
	name=$(printf '%s' "$1" | sed -n 's/.*"name" *: *"\([^"]*\)".*/\1/p')
	printf '{"message":"%s, %s!","shell":"sh"}' "$GREETING" "${name:-world}"
}
