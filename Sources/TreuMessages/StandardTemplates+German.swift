import TreuCore

extension StandardTemplates {
    static let german = Frame(
        greeting: "{{#member_name}}Hallo {{member_name}},{{/member_name}}{{^member_name}}Hallo,{{/member_name}}",
        farewell: "Viele Grüße\n{{shop_name}}",
        unsubscribe: "Sie erhalten diese E-Mail, weil Sie Nachrichten von {{shop_name}} zugestimmt haben. Abmelden:",
        unsubscribeLink: "abmelden")

    static func germanWords(_ kind: MessageKind) -> Words {
        switch kind {
        case .welcome:
            Words(subject: "Willkommen bei {{shop_name}}",
                  paragraphs: ["willkommen im Prämienprogramm von {{shop_name}}. Ab jetzt sammeln Sie mit jeder Bestellung Punkte, die Sie gegen Prämien einlösen können."],
                  sms: "Willkommen im Prämienprogramm von {{shop_name}}: Ab jetzt bringt jede Bestellung Punkte.")
        case .pointsEarned:
            Words(subject: "Sie haben {{points}} Punkte gesammelt",
                  paragraphs: ["{{#order}}Ihre Bestellung {{order}} hat Ihnen {{points}} Punkte eingebracht.{{/order}}{{^order}}Sie haben {{points}} Punkte gesammelt.{{/order}} Ihr Punktestand: {{balance}} Punkte."],
                  sms: "{{shop_name}}: {{points}} Punkte gesammelt. Punktestand: {{balance}} Punkte.")
        case .pointsExpiring:
            Words(subject: "{{points}} Punkte verfallen am {{expires_on}}",
                  paragraphs: ["{{points}} Ihrer Punkte verfallen am {{expires_on}}. Lösen Sie sie vorher ein – Ihr Punktestand: {{balance}} Punkte."],
                  sms: "{{shop_name}}: {{points}} Punkte verfallen am {{expires_on}}.")
        case .tierUp:
            Words(subject: "Willkommen im Status {{tier}}",
                  paragraphs: ["herzlichen Glückwunsch: Sie haben den Status {{tier}} erreicht. Ab heute genießen Sie seine Vorteile."],
                  sms: "{{shop_name}}: Glückwunsch, Sie haben den Status {{tier}} erreicht.")
        case .tierDown:
            Words(subject: "Ihr Status ist jetzt {{tier}}",
                  paragraphs: ["Ihr Status hat sich von {{previous_tier}} zu {{tier}} geändert. Mit Ihren nächsten Bestellungen erreichen Sie {{previous_tier}} wieder."],
                  sms: "{{shop_name}}: Ihr Status ist jetzt {{tier}}.")
        case .rewardRedeemed:
            Words(subject: "Ihre Prämie: {{reward}}",
                  paragraphs: ["Sie haben {{points}} Punkte gegen {{reward}} eingelöst. Ihr Code lautet {{coupon_code}}.", "Ihr Punktestand: {{balance}} Punkte."],
                  sms: "{{shop_name}}: Ihr Code für {{reward}} lautet {{coupon_code}}.")
        case .couponExpiring:
            Words(subject: "Ihr Code {{coupon_code}} läuft am {{expires_on}} ab",
                  paragraphs: ["Ihr Code {{coupon_code}} für {{reward}} gilt bis zum {{expires_on}}. Lassen Sie ihn nicht verfallen."],
                  sms: "{{shop_name}}: Ihr Code {{coupon_code}} läuft am {{expires_on}} ab.")
        case .referralRewarded:
            Words(subject: "{{points}} Punkte für Ihre Empfehlung",
                  paragraphs: ["danke für Ihre Empfehlung: Sie haben dafür {{points}} Punkte erhalten."],
                  sms: "{{shop_name}}: {{points}} Punkte für Ihre Empfehlung.")
        }
    }
}
