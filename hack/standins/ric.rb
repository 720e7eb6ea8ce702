# TEST STAND-IN for the Lambda runtime interface client of the Ruby base
# images, made by buildkit-lambda's hack/standins.sh. Not AWS code: AWS's
# aws_lambda_ric is on RubyGems, which cannot be reached where the stand-ins
# are built. It loads the handler named by _HANDLER ("file.method" or
# "file.Module::Class.method") from LAMBDA_TASK_ROOT and serves invocations
# from the Runtime API at AWS_LAMBDA_RUNTIME_API, reporting errors with the
# errorType AWS's client gives them: Init<Class> and Function<Class>.
require "json"
require "net/http"

API = "http://#{ENV.fetch("AWS_LAMBDA_RUNTIME_API")}/2018-06-01/runtime".freeze

def post(path, body)
  Net::HTTP.post(URI(API + path), body, "Content-Type" => "application/json")
end

def error_body(e, stage)
  body = { errorMessage: e.message, errorType: "#{stage}<#{e.class}>", stackTrace: e.backtrace || [] }
  warn "ERROR\t#{JSON.generate(body)}"
  JSON.generate(body)
end

# The file is what comes before the first dot of the handler's last path
# element, as the runtime reads it.
dir, base = File.split(ENV.fetch("_HANDLER"))
file, target = base.split(".", 2)
receiver, method = self, target
begin
  require File.join(ENV.fetch("LAMBDA_TASK_ROOT", "/var/task"), dir == "." ? file : File.join(dir, file))
  if target.include?(".")
    const, method = target.split(".", 2)
    receiver = Object.const_get(const)
  end
  raise NameError, "undefined method #{method} for #{target}" unless receiver.respond_to?(method, true)
rescue Exception => e # rubocop:disable Lint/RescueException: any failure to load is Init's
  post("/init/error", error_body(e, "Init"))
  exit 1
end

loop do
  res = Net::HTTP.get_response(URI(API + "/invocation/next"))
  id = res["Lambda-Runtime-Aws-Request-Id"]
  context = Struct.new(:aws_request_id, :function_name).new(id, ENV.fetch("AWS_LAMBDA_FUNCTION_NAME", "function"))
  begin
    result = receiver.send(method, event: JSON.parse(res.body), context: context)
    post("/invocation/#{id}/response", JSON.generate(result))
  rescue StandardError, ScriptError => e
    post("/invocation/#{id}/error", error_body(e, "Function"))
  end
end
