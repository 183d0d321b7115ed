use super::*;

fn text(runs: &[Run]) -> String {
    runs_text(runs)
}

#[test]
fn headings_paragraphs_and_styles() {
    let blocks =
        parse("# Khai sinh\n\nMang **giấy chứng sinh** và *CCCD* của cha mẹ.\n\n#### Sâu\n");
    assert_eq!(blocks.len(), 3);
    let Block::Heading { level, runs } = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert_eq!((*level, text(runs).as_str()), (1, "Khai sinh"));
    let Block::Paragraph { runs } = &blocks[1] else {
        panic!("{blocks:?}")
    };
    assert_eq!(text(runs), "Mang giấy chứng sinh và CCCD của cha mẹ.");
    assert!(runs.iter().any(|r| r.bold && r.text == "giấy chứng sinh"));
    assert!(runs.iter().any(|r| r.italic && !r.bold && r.text == "CCCD"));
    assert!(matches!(blocks[2], Block::Heading { level: 3, .. }));
}

#[test]
fn lists_keep_one_level_and_numbers() {
    let md = "3. Vào **VNeID**\n4. Chọn:\n   - Thủ tục hành chính\n     - sâu hơn\n   - Cư trú\n\n- một\n- hai\n";
    let blocks = parse(md);
    assert_eq!(blocks.len(), 2, "{blocks:#?}");
    let Block::List(numbered) = &blocks[0] else {
        panic!()
    };
    assert_eq!(numbered.start, Some(3));
    assert_eq!(numbered.items.len(), 2);
    assert_eq!(item_marker(numbered, 1), "4.");
    assert_eq!(text(&numbered.items[0].runs), "Vào VNeID");
    let children = numbered.items[1].children.as_ref().expect("nested list");
    assert_eq!(children.start, None);
    let names: Vec<String> = children.items.iter().map(|i| text(&i.runs)).collect();
    assert_eq!(names, ["Thủ tục hành chính", "sâu hơn", "Cư trú"]);
    assert!(children.items.iter().all(|i| i.children.is_none()));
    let Block::List(bullets) = &blocks[1] else {
        panic!()
    };
    assert_eq!(item_marker(bullets, 0), "•");
    assert_eq!(bullets.items.len(), 2);
}

#[test]
fn raw_html_is_text_not_markup() {
    let blocks = parse("<script>alert(1)</script>\n\nXin <b>chào</b>");
    let all: String = blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { runs } | Block::Heading { runs, .. } => text(runs),
            Block::List(_) => String::new(),
        })
        .collect::<Vec<_>>()
        .join("|");
    assert!(all.contains("<script>alert(1)</script>"), "{all}");
    assert!(all.contains("Xin <b>chào</b>"), "{all}");
    // No run is bold: the <b> was not interpreted.
    for b in &blocks {
        if let Block::Paragraph { runs } = b {
            assert!(runs.iter().all(|r| !r.bold));
        }
    }
}

#[test]
fn unsafe_links_lose_their_address() {
    let blocks = parse(
        "[Cổng](https://dichvucong.gov.vn) và [bấm](javascript:alert(1)) và [x](data:text/html,hi)",
    );
    let Block::Paragraph { runs } = &blocks[0] else {
        panic!()
    };
    let links: Vec<&str> = runs.iter().filter_map(|r| r.link.as_deref()).collect();
    assert_eq!(links, ["https://dichvucong.gov.vn"]);
    let t = text(runs);
    assert!(t.contains("Cổng (https://dichvucong.gov.vn)"), "{t}");
    assert!(!t.contains("javascript"), "{t}");
    assert!(t.contains("bấm"));
    assert!(!safe_link(" JavaScript:alert(1)"));
    assert!(safe_link("tel:1900123"));
}

#[test]
fn images_become_their_alt_text() {
    let blocks = parse("![ảnh màn hình](https://x/y.png)");
    let Block::Paragraph { runs } = &blocks[0] else {
        panic!()
    };
    assert_eq!(text(runs), "ảnh màn hình");
}

#[test]
fn limits_have_codes() {
    assert_eq!(check("  \n ").unwrap_err().code(), "guide_empty");
    assert!(check("Hướng dẫn").is_ok());
    let long = "á".repeat(MAX_GUIDE_CHARS + 1);
    let e = check(&long).unwrap_err();
    assert_eq!(e.code(), "guide_too_long");
    assert!(e.message_vi().contains("8001"));
    assert!(check(&"á".repeat(MAX_GUIDE_CHARS)).is_ok());
}

#[test]
fn hostile_input_never_panics() {
    for md in [
        "- \n- \n  - \n    - \n      - x",
        "**unclosed *mix",
        "1. a\n   1. b\n      1. c\n         1. d",
        "> quote\n> - in list\n\n```\ncode <x>\n```",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "",
        "\u{202E}reversed",
    ] {
        let _ = parse(md);
    }
}
