fn main() {
    let p = std::env::args().nth(1).unwrap();
    let n: usize = std::env::args().nth(2).map_or(2000, |s| s.parse().unwrap());
    let bytes = std::fs::read(&p).unwrap();
    for _ in 0..n {
        std::hint::black_box(danvan_docparse::parse_bytes(&bytes));
    }
}
