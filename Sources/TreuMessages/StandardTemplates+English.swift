import TreuCore

extension StandardTemplates {
    static let english = Frame(
        greeting: "{{#member_name}}Hello {{member_name}},{{/member_name}}{{^member_name}}Hello,{{/member_name}}",
        farewell: "Best wishes,\n{{shop_name}}",
        unsubscribe: "You receive this email because you agreed to hear from {{shop_name}}. Unsubscribe:",
        unsubscribeLink: "unsubscribe")

    static func englishWords(_ kind: MessageKind) -> Words {
        switch kind {
        case .welcome:
            Words(subject: "Welcome to {{shop_name}}",
                  paragraphs: ["Welcome to the {{shop_name}} rewards program. From now on every order earns you points, which you can turn into rewards."],
                  sms: "Welcome to {{shop_name}} rewards: every order now earns you points.")
        case .pointsEarned:
            Words(subject: "You earned {{points}} points",
                  paragraphs: ["{{#order}}Your order {{order}} earned you {{points}} points.{{/order}}{{^order}}You earned {{points}} points.{{/order}} Your balance is now {{balance}} points."],
                  sms: "{{shop_name}}: you earned {{points}} points. Balance: {{balance}} points.")
        case .pointsExpiring:
            Words(subject: "{{points}} points expire on {{expires_on}}",
                  paragraphs: ["{{points}} of your points expire on {{expires_on}}. Use them before then: your balance is {{balance}} points."],
                  sms: "{{shop_name}}: {{points}} points expire on {{expires_on}}.")
        case .tierUp:
            Words(subject: "Welcome to {{tier}}",
                  paragraphs: ["Congratulations: you have reached {{tier}}. Enjoy its benefits from today."],
                  sms: "{{shop_name}}: congratulations, you have reached {{tier}}.")
        case .tierDown:
            Words(subject: "Your status is now {{tier}}",
                  paragraphs: ["Your status has changed from {{previous_tier}} to {{tier}}. Your next orders bring you back to {{previous_tier}}."],
                  sms: "{{shop_name}}: your status is now {{tier}}.")
        case .rewardRedeemed:
            Words(subject: "Your reward: {{reward}}",
                  paragraphs: ["You redeemed {{points}} points for {{reward}}. Your code is {{coupon_code}}.", "Your balance is now {{balance}} points."],
                  sms: "{{shop_name}}: your code for {{reward}} is {{coupon_code}}.")
        case .couponExpiring:
            Words(subject: "Your code {{coupon_code}} expires on {{expires_on}}",
                  paragraphs: ["Your code {{coupon_code}} for {{reward}} is valid until {{expires_on}}. Don't let it go to waste."],
                  sms: "{{shop_name}}: your code {{coupon_code}} expires on {{expires_on}}.")
        case .referralRewarded:
            Words(subject: "You earned {{points}} points for a referral",
                  paragraphs: ["Thank you for spreading the word: a referral earned you {{points}} points."],
                  sms: "{{shop_name}}: a referral earned you {{points}} points.")
        }
    }
}
