require "i18n"

I18n.backend.store_translations(:en, greeting: "%{greeting}, %{name}!")
I18n.backend.store_translations(:fr, greeting: "Bonjour, %{name} !")
I18n.available_locales = %i[en fr]

# handler greets the event's name in its locale, with the i18n gem (and
# concurrent-ruby, which i18n depends on) from vendor/bundle.
def handler(event:, context:)
  locale = event.fetch("locale", "en")
  message = I18n.t(:greeting, name: event.fetch("name", "world"), greeting: ENV.fetch("GREETING", "Hello"), locale: locale.to_sym)
  { message: message, locale: locale, ruby: RUBY_VERSION }
end
