@main struct Portcullis { static func main() {} }
