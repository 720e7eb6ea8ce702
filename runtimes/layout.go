package runtimes

// The layout of every AWS Lambda base image: where the function's code
// goes, where the runtime and a custom runtime's bootstrap live, and the
// environment and entrypoint the images set. The build, the checks of the
// built image and the offline LLB read them here; the test stand-ins
// (hack/standins.sh) carry the same.
const (
	TaskRoot   = "/var/task"
	RuntimeDir = "/var/runtime"
	Entrypoint = "/lambda-entrypoint.sh"
)

// BaseEnv is the environment of AWS's base images, in their order.
var BaseEnv = []string{
	"LANG=en_US.UTF-8", "TZ=:/etc/localtime",
	"PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin",
	"LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib",
	"LAMBDA_TASK_ROOT=" + TaskRoot, "LAMBDA_RUNTIME_DIR=" + RuntimeDir,
}
