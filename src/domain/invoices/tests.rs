use super::*;
use InvoiceState::*;

#[test]
fn the_state_machine_allows_exactly_its_edges() {
    let cases = [
        (Draft, Action::Send, Some(Open)),
        (Open, Action::Pay, Some(Paid)),
        (Draft, Action::Close, Some(Closed)),
        (Open, Action::Close, Some(Closed)),
        (Closed, Action::Reopen, Some(Open)),
        (Paid, Action::Reopen, Some(Open)),
    ];
    for (from, action, to) in cases {
        assert_eq!(transition(from, action).ok(), to, "{from} {action}");
    }
    for state in InvoiceState::ALL {
        for action in Action::ALL {
            let allowed = cases.iter().any(|(f, a, _)| f == state && a == action);
            let result = transition(*state, *action);
            assert_eq!(result.is_ok(), allowed, "{state} {action}");
            if let Err(e) = result {
                assert_eq!(e.status(), 409);
            }
        }
    }
}

#[test]
fn nothing_is_due_once_paid() {
    assert_eq!(due_amount(Paid, 12_345), 0);
    for s in [Draft, Open, Closed] {
        assert_eq!(due_amount(s, 12_345), 12_345);
    }
}

#[test]
fn quantities_have_at_most_four_decimals() {
    assert_eq!(quantity_units(1.0), Some(10_000));
    assert_eq!(quantity_units(2.5), Some(25_000));
    assert_eq!(quantity_units(0.0001), Some(1));
    assert_eq!(quantity_units(1.2345), Some(12_345));
    assert_eq!(quantity_units(0.1 + 0.2), Some(3_000));
    assert_eq!(quantity_units(1.23456), None);
    assert_eq!(quantity_units(f64::INFINITY), None);
    assert_eq!(quantity_units(1.0e13), None);
}

#[test]
fn line_amounts_round_half_to_even_once_per_line() {
    assert_eq!(line_amount(10_000, 1_999), 1_999);
    assert_eq!(line_amount(15_000, 1_000), 1_500);
    // 0.5 × 5 = 2.5 → 2; 0.5 × 7 = 3.5 → 4; 0.0001 × 5000 = 0.5 → 0; 0.0003 × 5000 = 1.5 → 2.
    assert_eq!(line_amount(5_000, 5), 2);
    assert_eq!(line_amount(5_000, 7), 4);
    assert_eq!(line_amount(1, 5_000), 0);
    assert_eq!(line_amount(3, 5_000), 2);
    assert_eq!(line_amount(5_000, -5), -2);
    let lines = [
        Line::priced(LineKind::Product, "a".into(), 5_000, 5, None),
        Line::priced(LineKind::Product, "b".into(), 5_000, 7, None),
    ];
    // Rounded per line (2 + 4), never the sum then rounded (6 exactly here, but 1.5 + 1.5 = 3
    // would differ from 2 + 2 = 4 below).
    assert_eq!(total(&lines), 6);
    let halves = [
        Line::priced(LineKind::Product, "c".into(), 3, 5_000, None),
        Line::priced(LineKind::Product, "d".into(), 3, 5_000, None),
    ];
    assert_eq!(total(&halves), 4);
}

#[test]
fn lines_serialize_with_a_decimal_quantity() {
    let line = Line::priced(LineKind::Service, "Design".into(), 12_500, 8_000, Some("job_1".into()));
    let v = serde_json::to_value(&line).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"kind": "service", "description": "Design", "quantity": 1.25, "unit_price": 8_000,
                           "amount": 10_000, "job_id": "job_1"})
    );
    let whole = Line::priced(LineKind::Product, "Box".into(), 30_000, 250, None);
    assert_eq!(serde_json::to_value(&whole).unwrap()["quantity"], serde_json::json!(3));
}

#[test]
fn numbers_follow_the_sequence_form() {
    assert_eq!(number(1), "INV-000001");
    assert_eq!(number(1_234_567), "INV-1234567");
    assert_eq!(sequence_of("INV-000042"), Some(42));
    assert_eq!(sequence_of("INV-1234567"), Some(1_234_567));
    for other in ["INV-42", "INV-0000042", "inv-000042", "INV-000000", "2026-001", "INV-+00042"] {
        assert_eq!(sequence_of(other), None, "{other}");
    }
}

fn entry(id: &str, job: Option<&str>, rate: i64, seconds: i64) -> BillableEntry {
    BillableEntry {
        id: id.into(),
        job_id: job.map(str::to_string),
        job_name: job.map(|j| format!("Job {j}")),
        rate,
        seconds,
    }
}

#[test]
fn an_import_has_one_service_line_per_job_and_rate() {
    let entries = [
        entry("te_1", Some("a"), 10_000, 3_600),
        entry("te_2", Some("b"), 10_000, 1_800),
        entry("te_3", Some("a"), 10_000, 5_400),
        entry("te_4", Some("a"), 6_000, 600),
        entry("te_5", None, 0, 7_200),
    ];
    let lines = import_lines(&entries, &[]);
    type Summary<'a> = (Option<&'a str>, i64, i64, i64, Vec<&'a str>);
    let summary: Vec<Summary> = lines
        .iter()
        .map(|l| {
            (
                l.job_id.as_deref(),
                l.quantity,
                l.unit_price,
                l.amount,
                l.time_entry_ids.iter().map(|s| s.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (Some("a"), 25_000, 10_000, 25_000, vec!["te_1", "te_3"]),
            (Some("b"), 5_000, 10_000, 5_000, vec!["te_2"]),
            (Some("a"), 1_667, 6_000, 1_000, vec!["te_4"]),
            (None, 20_000, 0, 0, vec!["te_5"]),
        ]
    );
    assert!(lines.iter().all(|l| l.kind == LineKind::Service));
    assert_eq!(lines[0].description, "Job a");
    assert_eq!(lines[3].description, "Time");
    assert_eq!(total(&lines), 31_000);
}

#[test]
fn import_amounts_are_the_summed_seconds_at_the_rate_half_to_even() {
    // 1,800 s at 1 a hour is half a minor unit: to the even 0; 5,400 s → 1.5 → 2. Summed
    // before rounding: two entries of 1,800 s make one hour → 1.
    assert_eq!(import_lines(&[entry("te_1", Some("a"), 1, 1_800)], &[])[0].amount, 0);
    assert_eq!(import_lines(&[entry("te_1", Some("a"), 1, 5_400)], &[])[0].amount, 2);
    let two = [entry("te_1", Some("a"), 1, 1_800), entry("te_2", Some("a"), 1, 1_800)];
    assert_eq!(import_lines(&two, &[])[0].amount, 1);
    // 2,500 per hour for 45 minutes: 1,875 exactly.
    assert_eq!(import_lines(&[entry("te_1", Some("a"), 2_500, 2_700)], &[])[0].amount, 1_875);
}

#[test]
fn each_expense_is_its_own_line_after_the_time() {
    let expenses = [
        BillableExpense {
            id: "xpn_1".into(),
            job_id: Some("a".into()),
            category: "mileage".into(),
            notes: Some("Site visit".into()),
            spent_date: "2026-03-02".into(),
            amount: 4_250,
        },
        BillableExpense {
            id: "xpn_2".into(),
            job_id: Some("b".into()),
            category: "meals".into(),
            notes: None,
            spent_date: "2026-03-03".into(),
            amount: 1_999,
        },
    ];
    let lines = import_lines(&[entry("te_1", Some("a"), 3_000, 3_600)], &expenses);
    assert_eq!(lines.len(), 3);
    let x = &lines[1];
    assert_eq!((x.kind, x.quantity, x.unit_price, x.amount), (LineKind::Expense, QUANTITY_SCALE, 4_250, 4_250));
    assert_eq!(x.expense_ids, ["xpn_1"]);
    assert_eq!(x.description, "mileage (2026-03-02): Site visit");
    assert_eq!(lines[2].description, "meals (2026-03-03)");
    assert_eq!(total(&lines), 3_000 + 4_250 + 1_999);
    let v = serde_json::to_value(x).unwrap();
    assert_eq!(v["quantity"], 1);
    assert!(v.get("time_entry_ids").is_none());
    assert!(import_lines(&[], &[]).is_empty());
}
