def handler(event:, context:)
  { ok: true }
end
