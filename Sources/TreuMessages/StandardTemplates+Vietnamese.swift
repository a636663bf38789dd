import TreuCore

extension StandardTemplates {
    static let vietnamese = Frame(
        greeting: "{{#member_name}}Xin chào {{member_name}},{{/member_name}}{{^member_name}}Xin chào,{{/member_name}}",
        farewell: "Trân trọng,\n{{shop_name}}",
        unsubscribe: "Bạn nhận được email này vì đã đồng ý nhận tin từ {{shop_name}}. Hủy đăng ký:",
        unsubscribeLink: "hủy đăng ký")

    static func vietnameseWords(_ kind: MessageKind) -> Words {
        switch kind {
        case .welcome:
            Words(subject: "Chào mừng bạn đến với {{shop_name}}",
                  paragraphs: ["Chào mừng bạn tham gia chương trình khách hàng thân thiết của {{shop_name}}. Từ nay, mỗi đơn hàng đều giúp bạn tích điểm để đổi lấy phần thưởng."],
                  sms: "Chào mừng bạn đến với {{shop_name}}: mỗi đơn hàng từ nay đều được tích điểm.")
        case .pointsEarned:
            Words(subject: "Bạn vừa nhận được {{points}} điểm",
                  paragraphs: ["{{#order}}Đơn hàng {{order}} đã mang lại cho bạn {{points}} điểm.{{/order}}{{^order}}Bạn vừa nhận được {{points}} điểm.{{/order}} Số dư hiện tại: {{balance}} điểm."],
                  sms: "{{shop_name}}: bạn vừa nhận được {{points}} điểm. Số dư: {{balance}} điểm.")
        case .pointsExpiring:
            Words(subject: "{{points}} điểm sẽ hết hạn vào {{expires_on}}",
                  paragraphs: ["{{points}} điểm của bạn sẽ hết hạn vào {{expires_on}}. Hãy sử dụng trước thời hạn – số dư hiện tại: {{balance}} điểm."],
                  sms: "{{shop_name}}: {{points}} điểm sẽ hết hạn vào {{expires_on}}.")
        case .tierUp:
            Words(subject: "Chúc mừng bạn đã lên hạng {{tier}}",
                  paragraphs: ["Chúc mừng! Bạn đã đạt hạng {{tier}}. Hãy tận hưởng các ưu đãi của hạng mới ngay từ hôm nay."],
                  sms: "{{shop_name}}: chúc mừng bạn đã lên hạng {{tier}}.")
        case .tierDown:
            Words(subject: "Hạng thành viên của bạn hiện là {{tier}}",
                  paragraphs: ["Hạng thành viên của bạn đã chuyển từ {{previous_tier}} sang {{tier}}. Những đơn hàng tiếp theo sẽ giúp bạn trở lại hạng {{previous_tier}}."],
                  sms: "{{shop_name}}: hạng thành viên của bạn hiện là {{tier}}.")
        case .rewardRedeemed:
            Words(subject: "Phần thưởng của bạn: {{reward}}",
                  paragraphs: ["Bạn đã dùng {{points}} điểm để đổi {{reward}}. Mã của bạn là {{coupon_code}}.", "Số dư hiện tại: {{balance}} điểm."],
                  sms: "{{shop_name}}: mã đổi {{reward}} của bạn là {{coupon_code}}.")
        case .couponExpiring:
            Words(subject: "Mã {{coupon_code}} của bạn hết hạn vào {{expires_on}}",
                  paragraphs: ["Mã {{coupon_code}} cho {{reward}} có hiệu lực đến {{expires_on}}. Đừng bỏ lỡ nhé."],
                  sms: "{{shop_name}}: mã {{coupon_code}} hết hạn vào {{expires_on}}.")
        case .referralRewarded:
            Words(subject: "Bạn nhận được {{points}} điểm nhờ giới thiệu",
                  paragraphs: ["Cảm ơn bạn đã giới thiệu: bạn đã nhận được {{points}} điểm."],
                  sms: "{{shop_name}}: bạn nhận được {{points}} điểm nhờ giới thiệu.")
        }
    }
}
