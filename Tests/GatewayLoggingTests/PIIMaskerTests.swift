import Testing
@testable import GatewayLogging

@Suite struct PIIMaskerTests {
    let masker = PIIMasker()

    /// Every PII kind, in the forms the masker promises to recognise.
    static let positives: [(String, String)] = [
        // e-mail
        ("contact ann.lee+billing@example.co.uk today", "contact [email] today"),
        ("mailto:ANN@EXAMPLE.COM", "mailto:[email]"),
        ("<bob_99@mail.example.org>", "<[email]>"),
        // payment cards (Luhn-valid)
        ("card 4111111111111111 ok", "card [card ****1111] ok"),
        ("4111 1111 1111 1111", "[card ****1111]"),
        ("4111-1111-1111-1111", "[card ****1111]"),
        ("amex 3782 822463 10005", "amex [card ****0005]"),
        ("mc 5555555555554444, visa 4012888888881881", "mc [card ****4444], visa [card ****1881]"),
        ("[4111111111111111,5555555555554444]", "[[card ****1111],[card ****4444]]"),
        ("4111 1111 1111 1111 123", "[card ****1111] 123"),
        ("visa13 4222222222222", "visa13 [card ****2222]"),
        ("unionpay 6222020000000000000", "unionpay [card ****0000]"),
        // IBAN
        ("GB82 WEST 1234 5698 7654 32", "[iban]"),
        ("iban=GB82WEST12345698765432&x=1", "iban=[iban]&x=1"),
        ("DE89 3704 0044 0532 0130 00 is mine", "[iban] is mine"),
        ("fr1420041010050500013m02606", "[iban]"),
        // SSN
        ("ssn 123-45-6789.", "ssn [ssn]."),
        ("SSN: 078 05 1120", "SSN: [ssn]"),
        // NINO
        ("NI QQ 12 34 56 C", "NI [nino]"),
        ("QQ123456C", "[nino]"),
        ("ab 12 34 56 d,", "[nino],"),
        // phones
        ("call +44 20 7946 0958 now", "call [phone] now"),
        ("+14155552671", "[phone]"),
        ("+44 (0)20 7946 0958", "[phone]"),
        ("0044 20 7946 0958", "[phone]"),
        ("020 7946 0958", "[phone]"),
        ("(020) 7946 0958", "[phone]"),
        ("07700 900123", "[phone]"),
        ("07700900123", "[phone]"),
        ("01 23 45 67 89", "[phone]"),
        ("415-555-2671", "[phone]"),
        ("415.555.2671", "[phone]"),
        ("(415) 555-2671", "[phone]"),
        ("1-800-555-0199", "[phone]"),
        ("tel:+33.1.23.45.67.89x", "tel:+33.1.23.45.67.89x"),  // glued to a letter: identifier
        // sort code + account
        ("12-34-56 12345678", "[sort-code+account]"),
        ("sort 12 34 56 87654321", "sort [sort-code+account]"),
        ("123456 12345678", "[sort-code+account]"),
        // bank details named in words
        ("sort code 200000 account number 55779911", "sort code [sort-code] account number [account-number]"),
        ("Sort Code: 20-00-00, Account No. 55779911", "Sort Code: [sort-code], Account No. [account-number]"),
        ("sort-code=20 00 00&acct=55779911", "sort-code=[sort-code]&acct=[account-number]"),
        ("sortcode 200000 55779911", "sortcode [sort-code+account]"),
        ("bank account 5577 9911", "bank account [account-number]"),
        ("the account number is 55779911.", "the account number is [account-number]."),
        ("acct # 55779911", "acct # [account-number]"),
        // credentials
        ("Authorization: Bearer abc.DEF-123_xyz~", "Authorization: Bearer [token]"),
        ("bearer   mF_9.B5f-4.1JqM", "bearer   [token]"),
        ("Basic dXNlcjpwYXNzd29yZA==", "Basic [token]"),
        ("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "[token]"),
        ("t=eyJhbGciOiJIUzI1NiJ9", "t=[token]"),
        ("jwe eyJhbGciOiJSU0EifQ..iv.cipher.tag end", "jwe [token] end"),
    ]

    @Test(arguments: positives)
    func masksPersonalData(_ input: String, _ expected: String) {
        #expect(masker.mask(input) == expected, "input: \(input)")
    }

    /// Non-personal data that must stay legible.
    static let negatives: [String] = [
        "amount 1234.56 EUR", "1,234,567.89", "-1234567890", "+1234.56",
        "2026-01-15", "15/01/2026", "15.01.2026", "05.01.2026 10:30", "2026-01-15T10:20:30.123Z",
        "2026-01-15 10:20:30", "INV-2026-000123", "PO-0012345678", "order 12345", "v1.2.3",
        "550e8400-e29b-41d4-a716-446655440000", "12345678-1234-1234-1234-123456789012",
        "4111111111111112",  // 16 digits, Luhn fails
        "1767225600123",  // epoch milliseconds
        "1767225600", "192.168.10.254", "10.0.0.1", "12-34-56", "ref 123456",
        "user@localhost", "a @ b", "price@2", "GB82 WEST 1234 5698 7654 33",  // bad IBAN check
        "AB123456", "bearer of bad news", "Basic plan", "Bearer realm=\"api\", error=\"invalid_token\"",
        "eyJ short", "Currency GBP", "0.5", "+1 2", "06.01.2026", "12345678901234567890123",
        "ledger/entries/42", "/v1/ledger/entries/550e8400-e29b-41d4-a716-446655440000",
        "account number 4000", "account 55779911", "sort order 200000", "sort code 2000001", "account no 557799112",
        "sort code 20-00-00-1",
        "id=00012345", "qty 0 5 10 20 40 80", "tel 0 20",
    ]

    @Test(arguments: negatives)
    func keepsNonPersonalData(_ input: String) {
        #expect(masker.mask(input) == input, "masked: \(masker.mask(input))")
    }

    @Test func detectsKinds() {
        #expect(masker.detect("a@b.io 4111111111111111 GB82WEST12345698765432 123-45-6789 QQ123456C +442079460958 12-34-56 12345678 Bearer x1")
            == [.email, .card, .iban, .ssn, .nino, .phone, .sortCodeAccount, .token])
        #expect(masker.detect("sort code 12-34-56, account 12345678; bank account no 87654321")
            == [.sortCode, .accountNumber, .accountNumber])
    }

    @Test func emailAbsorbsDigitsInItsLocalPart() {
        #expect(masker.mask("4111111111111111@example.com") == "[email]")
    }

    @Test func unchangedTextIsReturnedAsIs() {
        let text = "nothing personal here: 42 items"
        #expect(masker.mask(text) == text)
        #expect(masker.mask(Array("x 4111111111111111".utf8)) == Array("x [card ****1111]".utf8))
    }

    @Test func multibyteNeighboursAreWordBoundaries() {
        #expect(masker.mask("é4111111111111111é") == "é[card ****1111]é")
        #expect(masker.mask("Müller ann@example.de") == "Müller [email]")
    }
}
